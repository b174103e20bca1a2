//===- TokenizerSentencePiece.cpp - Reading tokenizer.model ---------------===//
//
// The model is loaded with the SentencePiece library, which validates it and
// reports pieces, scores and the unknown/control/unused/byte types. Its API
// cannot tell user-defined pieces from normal ones and does not expose the
// normalizer spec, so those two facts come from the serialized ModelProto:
//   ModelProto     1: repeated SentencePiece pieces, 3: NormalizerSpec
//   SentencePiece  3: Type (1 normal, 2 unknown, 3 control, 4 user-defined,
//                     5 unused, 6 byte; default normal)
//   NormalizerSpec 3: bool add_dummy_prefix (default true)
//
//===----------------------------------------------------------------------===//
#include "ProtobufWire.h"
#include "TokenizerParts.h"
#include "llvm/Support/MemoryBuffer.h"

#ifdef GGUFC_HAVE_SENTENCEPIECE
#include <sentencepiece_processor.h>
#endif

using namespace llvm;

namespace ggufc {
namespace tokenizer {

#ifdef GGUFC_HAVE_SENTENCEPIECE

namespace {
/// What the serialized model says beyond the processor's API.
struct ProtoFacts {
  std::vector<bool> UserDefined; // per piece
  bool AddDummyPrefix = true;
};
} // namespace

static constexpr uint32_t ModelPiecesField = 1;
static constexpr uint32_t ModelNormalizerSpecField = 3;
static constexpr uint32_t PieceTypeField = 3;
static constexpr uint32_t NormalizerAddDummyPrefixField = 3;
static constexpr uint64_t UserDefinedPieceType = 4;

static Expected<ProtoFacts> scanModelProto(StringRef Serialized) {
  using namespace protobuf;
  ProtoFacts Facts;
  Error E = forEachField(Serialized, [&](const WireField &F) -> Error {
    if (F.Type != WireType::LengthDelimited)
      return Error::success();
    if (F.Number == ModelPiecesField) {
      bool UserDefined = false;
      if (Error PieceError = forEachField(F.Bytes, [&](const WireField &P) {
            if (P.Number == PieceTypeField && P.Type == WireType::Varint)
              UserDefined = P.Value == UserDefinedPieceType;
            return Error::success();
          }))
        return PieceError;
      Facts.UserDefined.push_back(UserDefined);
    } else if (F.Number == ModelNormalizerSpecField) {
      return forEachField(F.Bytes, [&](const WireField &N) {
        if (N.Number == NormalizerAddDummyPrefixField &&
            N.Type == WireType::Varint)
          Facts.AddDummyPrefix = N.Value != 0;
        return Error::success();
      });
    }
    return Error::success();
  });
  if (E)
    return E;
  return Facts;
}

static TokenType pieceType(const sentencepiece::SentencePieceProcessor &P,
                           int Id, bool UserDefined) {
  if (P.IsUnknown(Id))
    return TokenType::Unknown;
  if (P.IsControl(Id))
    return TokenType::Control;
  if (P.IsUnused(Id))
    return TokenType::Unused;
  if (P.IsByte(Id))
    return TokenType::Byte;
  return UserDefined ? TokenType::UserDefined : TokenType::Normal;
}

Expected<SentencePieceModel> readSentencePieceModel(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return fileError(Path, "cannot open: " + Buffer.getError().message());
  StringRef Serialized = (*Buffer)->getBuffer();

  // Scanned first: the library's message for a malformed file is less clear.
  auto Facts = scanModelProto(Serialized);
  if (!Facts)
    return fileError(Path, "not a SentencePiece model: " +
                               toString(Facts.takeError()));
  sentencepiece::SentencePieceProcessor Processor;
  sentencepiece::util::Status Status =
      Processor.LoadFromSerializedProto({Serialized.data(), Serialized.size()});
  if (!Status.ok())
    return fileError(Path, "not a SentencePiece model: " +
                               std::string(Status.message()));
  int Size = Processor.GetPieceSize();
  if (Size < 0 || Facts->UserDefined.size() != size_t(Size))
    return fileError(Path, "the model has " + Twine(Facts->UserDefined.size()) +
                               " pieces but SentencePiece reports " +
                               Twine(Size));

  SentencePieceModel Model;
  Model.AddDummyPrefix = Facts->AddDummyPrefix;
  Model.Pieces.reserve(Size);
  Model.Scores.reserve(Size);
  Model.Types.reserve(Size);
  for (int Id = 0; Id < Size; ++Id) {
    Model.Pieces.push_back(Processor.IdToPiece(Id));
    Model.Scores.push_back(Processor.GetScore(Id));
    Model.Types.push_back(pieceType(Processor, Id, Facts->UserDefined[Id]));
  }
  return Model;
}

#else

Expected<SentencePieceModel> readSentencePieceModel(StringRef Path) {
  return fileError(Path, "ggufc was built without SentencePiece (install "
                         "libsentencepiece-dev and rebuild)");
}

#endif

} // namespace tokenizer
} // namespace ggufc
