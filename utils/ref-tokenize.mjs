#!/usr/bin/env node
// Reference tokenization of a corpus with @lenml/tokenizers (the tokenizers of
// transformers.js) from a HuggingFace tokenizer.json + tokenizer_config.json.
// Prints "special <line>: <ids>" like utils/llama-check, so the two diff
// directly: HF tokenizers match every added token in the text, as llama.cpp
// does with parse_special = true. With --plain, added tokens marked special
// are text like any other (transformers' split_special_tokens) and the lines
// are "plain <line>: <ids>", the counterpart of llama.cpp's parse_special =
// false; non-special added tokens still match in both.
//
// usage: node utils/ref-tokenize.mjs TOKENIZER_DIR CORPUS [--add-special] [--plain]
//
// The corpus has one JSON string literal per line; empty lines are skipped
// (same rules as utils/llama-check/Corpus.cpp and utils/ref-tokenize-spm.py).
// The runtime is found in $GGUFC_RUNTIME_DIR, else <repo>/.runtime.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function fail(message) {
  process.stderr.write(`ref-tokenize: error: ${message}\n`);
  process.exit(1);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    fail(`${path}: ${e.message}`);
  }
}

// A lone surrogate is not a Unicode scalar value; the C++ and Python readers
// reject it too.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function readCorpus(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    fail(`${path}: ${e.message}`);
  }
  const cases = [];
  text.split("\n").forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, "");
    if (line.trim() === "") return;
    let value;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (typeof value !== "string" || loneSurrogate.test(value))
      fail(`${path}:${index + 1}: expected one JSON string per line`);
    cases.push({ line: index + 1, text: value });
  });
  return cases;
}

function loadTokenizerLibrary() {
  const here = dirname(fileURLToPath(import.meta.url));
  const runtimeDir = process.env.GGUFC_RUNTIME_DIR || join(here, "..", ".runtime");
  const require = createRequire(join(runtimeDir, "package.json"));
  try {
    return require("@lenml/tokenizers");
  } catch (e) {
    fail(`@lenml/tokenizers not found in ${runtimeDir} (run utils/setup.sh): ${e.message}`);
  }
}

const flags = ["--add-special", "--plain"];
const args = process.argv.slice(2);
const [addSpecial, plain] = flags.map((f) => args.includes(f));
const positional = args.filter((a) => !a.startsWith("--"));
if (positional.length !== 2 || args.some((a) => a.startsWith("--") && !flags.includes(a)))
  fail("usage: ref-tokenize.mjs TOKENIZER_DIR CORPUS [--add-special] [--plain]");
const [tokenizerDir, corpusPath] = positional;

const cases = readCorpus(corpusPath);
const { TokenizerLoader } = loadTokenizerLibrary();
const tokenizerJSON = readJson(join(tokenizerDir, "tokenizer.json"));
if (plain)
  tokenizerJSON.added_tokens = (tokenizerJSON.added_tokens ?? []).filter((t) => !t.special);
const tokenizer = TokenizerLoader.fromPreTrained({
  tokenizerJSON,
  tokenizerConfig: readJson(join(tokenizerDir, "tokenizer_config.json")),
});
const label = plain ? "plain" : "special";
const lines = cases.map(({ line, text }) => {
  const ids = tokenizer.encode(text, { add_special_tokens: addSpecial });
  return `${label} ${line}:${ids.map((id) => ` ${id}`).join("")}`;
});
process.stdout.write(lines.map((l) => l + "\n").join(""));
