//===- TransformsNamePatternTest.cpp - NamePattern ---------------------------===//
#include "ggufc/Transforms/NamePattern.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace llvm;

namespace {

NamePattern regex(StringRef R) {
  auto P = NamePattern::fromRegex(R);
  EXPECT_TRUE(bool(P)) << toString(P.takeError());
  return std::move(*P);
}

NamePattern tmpl(StringRef T) {
  auto P = NamePattern::fromTemplate(T);
  EXPECT_TRUE(bool(P)) << toString(P.takeError());
  return std::move(*P);
}

TEST(NamePatternTest, RegexMustMatchTheWholeName) {
  NamePattern P = regex(R"(blk\.1\.attn_q\.weight)");
  EXPECT_TRUE(P.match("blk.1.attn_q.weight"));
  EXPECT_FALSE(P.match("blk.1.attn_q.weight.extra"));
  EXPECT_FALSE(P.match("vblk.1.attn_q.weight"));
  EXPECT_FALSE(P.match("blk.10.attn_q.weight"));
}

TEST(NamePatternTest, RegexAlternativesAreAnchoredTogether) {
  NamePattern P = regex("a|b.c");
  EXPECT_TRUE(P.match("a"));
  EXPECT_TRUE(P.match("bxc"));
  EXPECT_FALSE(P.match("ab.c")); // "a" must not match as a prefix only
  EXPECT_FALSE(P.match("xb.c"));
}

TEST(NamePatternTest, AnyRegexMatchesEachWholeName) {
  const char *const Table[] = {R"(.*_norm\.weight)", "a|b", "x.y"};
  auto P = NamePattern::fromAnyRegex(Table);
  ASSERT_TRUE(bool(P)) << toString(P.takeError());
  EXPECT_TRUE(P->match("blk.0.attn_norm.weight"));
  EXPECT_TRUE(P->match("a"));
  EXPECT_TRUE(P->match("b"));
  EXPECT_TRUE(P->match("x_y"));
  EXPECT_FALSE(P->match("ab")); // each alternative anchored on its own
  EXPECT_FALSE(P->match("x_yz"));
  EXPECT_FALSE(P->match("attn_norm.weight.x"));
}

TEST(NamePatternTest, BadRegexIsAnError) {
  auto P = NamePattern::fromRegex("blk.(");
  ASSERT_FALSE(bool(P));
  EXPECT_NE(toString(P.takeError()).find("invalid regular expression 'blk.('"),
            std::string::npos);
  auto Empty = NamePattern::fromRegex("");
  ASSERT_FALSE(bool(Empty));
  consumeError(Empty.takeError());
}

TEST(NamePatternTest, TemplatePlaceholdersMatchDecimalNumbers) {
  NamePattern P = tmpl("blk.{N}.altup_proj.{E}.weight");
  EXPECT_EQ(P.placeholders(), (std::vector<std::string>{"N", "E"}));
  PlaceholderValues V;
  ASSERT_TRUE(P.match("blk.12.altup_proj.3.weight", &V));
  EXPECT_EQ(V["N"], "12");
  EXPECT_EQ(V["E"], "3");
  EXPECT_FALSE(P.match("blk.x.altup_proj.3.weight"));
  EXPECT_FALSE(P.match("blk..altup_proj.3.weight"));
  // Literal dots are literal, not "any character".
  EXPECT_FALSE(P.match("blkX12.altup_proj.3.weight"));
  EXPECT_FALSE(P.match("blk.12.altup_proj.3.weight.bias"));
}

TEST(NamePatternTest, TemplateEscapesRegexCharacters) {
  NamePattern P = tmpl("a+b(c)[{N}]");
  EXPECT_TRUE(P.match("a+b(c)[7]"));
  EXPECT_FALSE(P.match("aab(c)[7]"));
}

TEST(NamePatternTest, RepeatedPlaceholderMustRepeatItsValue) {
  NamePattern P = tmpl("a.{N}.b.{N}");
  EXPECT_TRUE(P.match("a.4.b.4"));
  EXPECT_FALSE(P.match("a.4.b.5"));
  EXPECT_EQ(P.placeholders(), std::vector<std::string>{"N"});
}

TEST(NamePatternTest, MalformedTemplatesAreErrors) {
  for (StringRef Bad : {"blk.{N.weight", "blk.{}.weight", "blk.{N-1}.weight"}) {
    auto P = NamePattern::fromTemplate(Bad);
    ASSERT_FALSE(bool(P)) << Bad.str();
    EXPECT_NE(toString(P.takeError()).find(Bad.str()), std::string::npos);
  }
}

TEST(NamePatternTest, SubstituteFillsPlaceholders) {
  auto S = substitutePlaceholders("blk.{N}.altup_proj.weight", {{"N", "7"}});
  ASSERT_TRUE(bool(S));
  EXPECT_EQ(*S, "blk.7.altup_proj.weight");
  auto Missing = substitutePlaceholders("blk.{M}.x", {{"N", "7"}});
  ASSERT_FALSE(bool(Missing));
  EXPECT_NE(toString(Missing.takeError()).find("'{M}'"), std::string::npos);
}

TEST(NamePatternTest, TemplatePlaceholdersInOrder) {
  auto Names = templatePlaceholders("x.{E}.{N}.{E}");
  ASSERT_TRUE(bool(Names));
  EXPECT_EQ(*Names, (std::vector<std::string>{"E", "N"}));
}

} // namespace
