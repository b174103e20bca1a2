#!/bin/sh
# quantized-vs-llama.sh DIR NAME OUTTYPE FTYPE
# Converts checkpoint DIR/NAME with ggufc -outtype=OUTTYPE, checks that
# llama.cpp decodes it to finite logits, quantizes ggufc's f32 file
# DIR/NAME-f32.gguf with llama_model_quantize (llama_ftype FTYPE), and
# compares the two tensor by tensor (name, type, shape, size, sha256; not
# the offsets, nor the order, which llama.cpp sorts by layer).
# Prints "NAME OUTTYPE: N tensors identical, finite: yes" or fails.
set -eu
D=$1 N=$2 T=$3 FT=$4
Q=$D/$N-$T.gguf R=$D/$N-$T-llama.gguf
ggufc "$D/$N" -outtype="$T" -o "$Q"
FINITE=$(llama-check "$Q" --prompt 'hello world' | sed -n 's/^finite: //p')
llama-quantize-ref "$D/$N-f32.gguf" "$R" "$FT"
tensors() {
  gguf-dump --tensors-only --checksums "$1" | grep ' : ' |
    sed 's/ offset=[0-9]*//' | sort
}
tensors "$Q" > "$Q.tensors"
tensors "$R" > "$R.tensors"
diff "$Q.tensors" "$R.tensors" >&2
echo "$N $T: $(wc -l < "$Q.tensors") tensors identical, finite: $FINITE"
