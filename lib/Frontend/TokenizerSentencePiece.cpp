//===- TokenizerSentencePiece.cpp - Reading tokenizer.model ---------------===//
//
// tokenizer.model is a serialized protobuf message; libprotobuf parses it
// with the classes protoc generates from SentencePieceModel.proto. Beyond
// parsing, the pieces are checked as the SentencePiece library checks them
// on loading (non-empty, distinct, exactly one UNKNOWN), so that a model it
// would refuse is not converted.
//
//===----------------------------------------------------------------------===//
#include "SentencePieceModel.pb.h"
#include "TokenizerParts.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include <limits>

using namespace llvm;

namespace ggufc {
namespace tokenizer {

// The schema's piece types are the GGUF token types.
static_assert(int(spm::Model::Piece::NORMAL) == int(TokenType::Normal) &&
                  int(spm::Model::Piece::UNKNOWN) == int(TokenType::Unknown) &&
                  int(spm::Model::Piece::CONTROL) == int(TokenType::Control) &&
                  int(spm::Model::Piece::USER_DEFINED) ==
                      int(TokenType::UserDefined) &&
                  int(spm::Model::Piece::UNUSED) == int(TokenType::Unused) &&
                  int(spm::Model::Piece::BYTE) == int(TokenType::Byte),
              "SentencePieceModel.proto and TokenType disagree");

static Error notAModel(StringRef Path, const Twine &Why) {
  return fileError(Path, "not a SentencePiece model (" + Why + ")");
}

Expected<SentencePieceModel> readSentencePieceModel(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return fileError(Path, "cannot open: " + Buffer.getError().message());
  StringRef Serialized = (*Buffer)->getBuffer();
  if (Serialized.size() > size_t(std::numeric_limits<int>::max()))
    return notAModel(Path, "larger than 2 GiB");

  spm::Model Proto;
  if (!Proto.ParseFromArray(Serialized.data(), int(Serialized.size())))
    return notAModel(Path, "malformed protobuf message");
  if (Proto.pieces_size() == 0)
    return notAModel(Path, "no pieces");

  // A type number the schema lacks reads as NORMAL, as in SentencePiece.
  SentencePieceModel Model;
  Model.AddDummyPrefix = Proto.normalizer_spec().add_dummy_prefix();
  Model.Pieces.reserve(Proto.pieces_size());
  Model.Scores.reserve(Proto.pieces_size());
  Model.Types.reserve(Proto.pieces_size());
  StringMap<size_t> IdOfPiece;
  Optional<size_t> UnknownId;
  for (const spm::Model::Piece &Piece : Proto.pieces()) {
    size_t Id = Model.Pieces.size();
    if (Piece.piece().empty())
      return notAModel(Path, "piece " + Twine(Id) + " is empty");
    auto Inserted = IdOfPiece.try_emplace(Piece.piece(), Id);
    if (!Inserted.second)
      return notAModel(Path, "pieces " + Twine(Inserted.first->second) +
                                 " and " + Twine(Id) + " are both '" +
                                 Piece.piece() + "'");
    if (Piece.type() == spm::Model::Piece::UNKNOWN) {
      if (UnknownId)
        return notAModel(Path, "pieces " + Twine(*UnknownId) + " and " +
                                   Twine(Id) + " are both of type UNKNOWN");
      UnknownId = Id;
    }
    Model.Pieces.push_back(Piece.piece());
    Model.Scores.push_back(Piece.score());
    Model.Types.push_back(TokenType(Piece.type()));
  }
  if (!UnknownId)
    return notAModel(Path, "no piece of type UNKNOWN");
  return Model;
}

} // namespace tokenizer
} // namespace ggufc
