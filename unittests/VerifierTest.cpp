//===- VerifierTest.cpp - Every verifier rule on hand-made broken modules ----===//
#include "ggufc/IR/Verifier.h"
#include "ggufc/IR/IRBuilder.h"
#include "gtest/gtest.h"

using namespace ggufc;

namespace {

/// The verifier's messages, one per line, or "" for a valid module.
std::string verify(const Module &M) {
  return llvm::toString(verifyModule(M));
}

/// Appends a value without any checking, to build malformed IR.
Value *raw(Module &M, Opcode Op, TensorType T, std::vector<Value *> Ops = {}) {
  auto V = std::make_unique<Value>(Op);
  V->Type = std::move(T);
  V->Operands = std::move(Ops);
  if (Op == Opcode::Load) {
    V->File = "m.safetensors";
    V->Key = "k";
  }
  return M.append(std::move(V));
}

TEST(VerifierTest, WellFormedModuleHasNoProblems) {
  Module M("qwen3");
  M.Meta.set("general.architecture", MetaValue::str("qwen3"));
  M.Meta.set("general.alignment", MetaValue::u32(64));
  M.Meta.set("general.file_type", MetaValue::u32(1));
  M.Meta.set("tokenizer.ggml.tokens", MetaValue::strArray({"a", "b"}));
  M.Meta.set("tokenizer.ggml.token_type",
             MetaValue::signedArray(MetaType::I32, {1, 3}));
  M.Meta.set("tokenizer.ggml.scores",
             MetaValue::floatArray(MetaType::F32, {0, -1}));
  IRBuilder B(M);
  Value *X = B.load("m.safetensors", "w", {DType::BF16, {4, 2}});
  M.addOutput("a", B.transpose(X, {1, 0}));
  M.addOutput("b", X).Type = StorageType::F16;
  ASSERT_FALSE(B.hasError());
  EXPECT_EQ(verify(M), "");
}

TEST(VerifierTest, DeclaredTypeMustMatchTheInferredType) {
  Module M;
  Value *X = raw(M, Opcode::Load, {DType::F32, {2, 2}});
  raw(M, Opcode::Tanh, {DType::F16, {2, 2}}, {X});
  EXPECT_EQ(verify(M), "%1: tanh: declared type f16[2, 2] does not match the "
                       "inferred type f32[2, 2]");
}

TEST(VerifierTest, BrokenTypeRulesNameTheValue) {
  Module M;
  Value *X = raw(M, Opcode::Load, {DType::F32, {2, 3}});
  Value *T = raw(M, Opcode::Transpose, {DType::F32, {2, 3}}, {X});
  T->Perm = {1, 1};
  Value *S = raw(M, Opcode::Slice, {DType::F32, {2, 3}}, {X});
  S->Axis = 1;
  S->Start = 2;
  S->End = 4;
  Value *Y = raw(M, Opcode::Load, {DType::F32, {3, 3}});
  Value *C = raw(M, Opcode::Concat, {DType::F32, {5, 3}}, {X, Y});
  C->Axis = 1;
  EXPECT_EQ(verify(M),
            "%1: transpose: [1, 1] is not a permutation of 2 axes\n"
            "%2: slice: [2:4] is not a non-empty range of axis 1 of size 3 "
            "(need 0 <= start < end <= size)\n"
            "%4: concat: operand 1 has type f32[3, 3], operand 0 has "
            "f32[2, 3] (dimensions may differ only on axis 1)");
}

TEST(VerifierTest, OperandsMustBeDefinedEarlier) {
  Module M;
  Module Other;
  Value *Foreign = raw(Other, Opcode::Load, {DType::F32, {2}});
  raw(M, Opcode::Tanh, {DType::F32, {2}}, {Foreign});
  raw(M, Opcode::Tanh, {DType::F32, {2}}, {nullptr});
  Value *Late = raw(M, Opcode::Tanh, {DType::F32, {2}});
  Late->Operands = {Late}; // uses itself
  EXPECT_EQ(verify(M),
            "%0: tanh: operand 0 is not defined before its use\n"
            "%1: tanh: operand 0 is null\n"
            "%2: tanh: operand 0 is not defined before its use");
}

TEST(VerifierTest, IdsMustBePositions) {
  Module M;
  Value *X = raw(M, Opcode::Load, {DType::F32, {2}});
  X->Id = 5;
  EXPECT_EQ(verify(M), "%5: id does not match its position 0 in the module");
}

TEST(VerifierTest, OutputNamesAreNonEmptyAndUnique) {
  Module M;
  Value *X = raw(M, Opcode::Load, {DType::F32, {2}});
  M.addOutput("w", X);
  M.addOutput("", X);
  M.addOutput("w", X);
  EXPECT_EQ(verify(M), "output #1 has an empty name\n"
                       "output 'w' is defined more than once");
}

TEST(VerifierTest, OutputsReferenceValuesOfTheModule) {
  Module M;
  Module Other;
  Value *Foreign = raw(Other, Opcode::Load, {DType::F32, {2}});
  M.addOutput("a", nullptr);
  M.addOutput("b", Foreign);
  EXPECT_EQ(verify(M), "output 'a' has no value\n"
                       "output 'b' refers to a value that is not in the "
                       "module");
}

TEST(VerifierTest, WellKnownMetadataTypes) {
  Module M;
  M.Meta.set("general.architecture", MetaValue::u32(1));
  M.Meta.set("general.alignment", MetaValue::u64(32));
  M.Meta.set("general.file_type", MetaValue::i32(1));
  M.Meta.set("tokenizer.ggml.tokens", MetaValue::str("a"));
  EXPECT_EQ(verify(M), "metadata 'general.architecture' must be str, is u32\n"
                       "metadata 'general.alignment' must be u32, is u64\n"
                       "metadata 'general.file_type' must be u32, is i32\n"
                       "metadata 'tokenizer.ggml.tokens' must be an array of "
                       "str, is str");
}

TEST(VerifierTest, AlignmentIsAPowerOfTwo) {
  Module M;
  M.Meta.set("general.alignment", MetaValue::u32(24));
  EXPECT_EQ(verify(M),
            "metadata 'general.alignment' must be a power of two, is 24");
  M.Meta.set("general.alignment", MetaValue::u32(0));
  EXPECT_EQ(verify(M),
            "metadata 'general.alignment' must be a power of two, is 0");
  M.Meta.set("general.alignment", MetaValue::u32(1));
  EXPECT_EQ(verify(M), "");
}

TEST(VerifierTest, PerTokenArraysHaveOneElementPerToken) {
  Module M;
  M.Meta.set("tokenizer.ggml.tokens", MetaValue::strArray({"a", "b", "c"}));
  M.Meta.set("tokenizer.ggml.token_type",
             MetaValue::unsignedArray(MetaType::U32, {1, 1, 1}));
  M.Meta.set("tokenizer.ggml.scores",
             MetaValue::floatArray(MetaType::F32, {0, 1}));
  EXPECT_EQ(verify(M),
            "metadata 'tokenizer.ggml.token_type' must be an array of i32, is "
            "an array of u32\n"
            "metadata 'tokenizer.ggml.scores' has 2 elements, but "
            "'tokenizer.ggml.tokens' has 3");
  // Elided arrays keep their length and are checked the same way.
  M.Meta.set("tokenizer.ggml.tokens", MetaValue::elidedArray(MetaType::Str, 2));
  M.Meta.set("tokenizer.ggml.token_type",
             MetaValue::signedArray(MetaType::I32, {1, 1}));
  EXPECT_EQ(verify(M), "");
}

TEST(VerifierTest, MalformedMetadataValues) {
  Module M;
  M.Meta.set("", MetaValue::u8(1));
  M.Meta.set("scalar.without.value", MetaValue());
  M.Meta.set("nested", MetaValue::unsignedArray(MetaType::Array, {}));
  EXPECT_EQ(verify(M), "metadata key is empty\n"
                       "metadata 'scalar.without.value': scalar has no value\n"
                       "metadata 'nested': arrays of arrays are not supported");
}

} // namespace
