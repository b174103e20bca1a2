//===- TransformsSelectTypesTest.cpp - select-types --------------------------===//
#include "TransformsTestSupport.h"

using namespace ggufc;
using namespace ggufc::testing;
using namespace llvm;

namespace {

struct Case {
  const char *Name;
  DType ValueType;
  Shape Dims;
};

/// A module with one output per case, in order.
void build(Module &M, ArrayRef<Case> Cases) {
  for (const Case &C : Cases)
    addLoadOutput(M, C.Name, C.ValueType, C.Dims);
}

std::vector<DType> storageTypes(const Module &M) {
  std::vector<DType> Out;
  for (const Output &O : M.outputs()) {
    EXPECT_TRUE(O.Type.hasValue()) << O.Name;
    Out.push_back(dtypeOf(O.Type.getValueOr(StorageType::Q8_0)).getValueOr(DType::F32));
  }
  return Out;
}

uint64_t fileType(const Module &M) {
  const MetaValue *V = M.Meta.get("general.file_type");
  EXPECT_TRUE(V && V->elemType() == MetaType::U32 && !V->isArray());
  return V ? V->getUnsigned() : ~0ull;
}

const Case Mixed[] = {
    {"token_embd.weight", DType::BF16, {8, 4}},       // 2-D bf16
    {"blk.0.attn_q.weight", DType::F32, {4, 4}},      // 2-D f32
    {"blk.0.attn_k.weight", DType::F16, {4, 4}},      // 2-D f16
    {"blk.0.attn_norm.weight", DType::BF16, {4}},     // 1-D
    {"blk.0.ffn_gate_inp.weight", DType::BF16, {2, 4}}, // forced by name
    {"blk.0.attn_q.bias", DType::BF16, {1, 4}},       // not ".weight"
    {"v.blk.0.attn_q.weight", DType::BF16, {4, 4}},   // vision: never BF16
};

TEST(SelectTypesTest, AutoKeepsBF16AndStoresTheRestAsF16) {
  Module M;
  build(M, Mixed);
  Statistics Stats;
  ASSERT_EQ(runPass(M, "select-types", "", Stats), "");
  EXPECT_EQ(storageTypes(M),
            (std::vector<DType>{DType::BF16, DType::F16, DType::F16, DType::F32,
                                DType::F32, DType::F32, DType::F16}));
  EXPECT_EQ(fileType(M), 32u);
  const MetaValue *QV = M.Meta.get("general.quantization_version");
  ASSERT_TRUE(QV);
  EXPECT_EQ(QV->elemType(), MetaType::U32);
  EXPECT_EQ(QV->getUnsigned(), 2u);
  EXPECT_EQ(stat(Stats, "select-types", "tensors stored as BF16"), 1u);
  EXPECT_EQ(stat(Stats, "select-types", "tensors stored as F16"), 3u);
  EXPECT_EQ(stat(Stats, "select-types", "tensors stored as F32"), 3u);
}

TEST(SelectTypesTest, ExplicitTypesStillKeepForcedF32) {
  struct Expectation {
    const char *Option;
    DType Big;
    uint64_t FileType;
  } Expectations[] = {
      {"f32", DType::F32, 0}, {"f16", DType::F16, 1}, {"bf16", DType::BF16, 32}};
  for (const Expectation &X : Expectations) {
    Module M;
    build(M, Mixed);
    ASSERT_EQ(runPass(M, "select-types", X.Option), "");
    EXPECT_EQ(storageTypes(M),
              (std::vector<DType>{X.Big, X.Big, X.Big, DType::F32, DType::F32,
                                  DType::F32, X.Big}))
        << X.Option;
    EXPECT_EQ(fileType(M), X.FileType) << X.Option;
  }
}

TEST(SelectTypesTest, AutoFileTypeFollowsTheTensors) {
  Module NoBF16;
  build(NoBF16, {{"a.weight", DType::F32, {2, 2}}, {"b.weight", DType::F32, {2}}});
  ASSERT_EQ(runPass(NoBF16, "select-types", "outtype=auto"), "");
  EXPECT_EQ(fileType(NoBF16), 1u);

  Module OnlyVectors;
  build(OnlyVectors, {{"a.weight", DType::BF16, {2}}});
  ASSERT_EQ(runPass(OnlyVectors, "select-types", "auto"), "");
  EXPECT_EQ(fileType(OnlyVectors), 0u);
}

TEST(SelectTypesTest, ExistingQuantizationVersionIsKept) {
  Module M;
  M.Meta.set("general.quantization_version", MetaValue::u32(7));
  M.Meta.set("general.file_type", MetaValue::u32(99));
  build(M, {{"a.weight", DType::BF16, {2, 2}}});
  ASSERT_EQ(runPass(M, "select-types", "auto"), "");
  EXPECT_EQ(M.Meta.get("general.quantization_version")->getUnsigned(), 7u);
  EXPECT_EQ(fileType(M), 32u);
}

TEST(SelectTypesTest, ForcedF32NameTable) {
  // Every entry of the table, as a 2-D bf16 tensor that would otherwise be
  // BF16, and near misses that must not be forced.
  const char *Forced[] = {
      "output_norm.weight",
      "blk.3.attn_q_norm.weight",
      "blk.3.ffn_gate_inp.weight",
      "blk.3.ffn_gate_inp_shexp.weight",
      "position_embd.weight",
      "token_types.weight",
      "blk.3.ssm_conv1d.weight",
      "blk.3.ssm_conv1d_q.weight",
      "blk.3.shortconv.conv.weight",
      "blk.3.time_mix_first.weight",
      "blk.3.time_mix_lerp_fused.weight",
      "posnet.1.norm2.weight",
      "a.position_embd.weight",
      "blk.3.altup_correct_coef.weight",
      "blk.3.altup_predict_coef.weight",
      "a.conv1d.0.weight",
      "a.subsampling.conv.weight",
      "a.blk.0.conv_dw.x.weight",
      "blk.0.attn.rel_pos_h",
  };
  const char *NotForced[] = {
      "blk.3.ffn_gate.weight",
      "blk.3.ffn_gate_inp_x.weight",
      "blk.3.altup_proj.weight",
      "blk.3.normal.weight",
      "position_embd2.weight",
      "xtoken_types.weight",
  };
  Module M;
  for (const char *N : Forced)
    addLoadOutput(M, N, DType::BF16, {2, 2});
  for (const char *N : NotForced)
    addLoadOutput(M, N, DType::BF16, {2, 2});
  ASSERT_EQ(runPass(M, "select-types", "auto"), "");
  size_t I = 0;
  for (const Output &O : M.outputs()) {
    DType Want = I++ < std::size(Forced) ? DType::F32 : DType::BF16;
    EXPECT_EQ(O.Type, Optional<StorageType>(storageTypeOf(Want))) << O.Name;
  }
}

TEST(SelectTypesTest, VisionTensorsForcedByOllamaNames) {
  // These names start with "v.", so outside the table they would be F16.
  Module M;
  for (const char *N : {"v.position_embd.weight", "v.tile_position_embd.weight",
                        "v.pre_tile_position_embd.weight",
                        "v.post_tile_position_embd.weight"})
    addLoadOutput(M, N, DType::F16, {2, 2});
  addLoadOutput(M, "v.patch_embd.weight", DType::F16, {2, 2});
  ASSERT_EQ(runPass(M, "select-types", "f16"), "");
  EXPECT_EQ(storageTypes(M), (std::vector<DType>{DType::F32, DType::F32,
                                                 DType::F32, DType::F32,
                                                 DType::F16}));
}

TEST(SelectTypesTest, UnknownOutTypeIsAnError) {
  std::string Err = createError("select-types", "q3_k_s");
  EXPECT_NE(Err.find("unknown output type 'q3_k_s'"), std::string::npos) << Err;
}

} // namespace
