//===- NamePattern.h - Selecting outputs by tensor name ---------------------===//
//
// The one mechanism every pass uses to select outputs by name. A pattern is
// either
//   - a POSIX extended regex that must match the whole name
//     ("blk\.[0-9]+\.ffn_gate_inp\.weight"), or
//   - a template whose {X} placeholders match decimal numbers
//     ("blk.{N}.altup_proj.{E}.weight"); every other character is literal.
// Templates compile to the same whole-name regex. A template match reports
// the digits each placeholder matched, and substitutePlaceholders() puts
// them into another template to build a name.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_TRANSFORMS_NAMEPATTERN_H
#define GGUFC_TRANSFORMS_NAMEPATTERN_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/Regex.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ggufc {

/// Placeholder name (without braces) -> the digits it matched.
using PlaceholderValues = std::map<std::string, std::string>;

class NamePattern {
public:
  /// A regex matched against the whole name (implicitly anchored).
  static llvm::Expected<NamePattern> fromRegex(llvm::StringRef Regex);
  /// Matches a name any of the whole-name Regexes matches (one regex of
  /// alternatives), for fixed tables of names.
  static llvm::Expected<NamePattern>
  fromAnyRegex(llvm::ArrayRef<const char *> Regexes);
  /// A template with {X} placeholders (X: letters, digits, '_'). A
  /// placeholder used twice must match the same digits both times.
  static llvm::Expected<NamePattern> fromTemplate(llvm::StringRef Template);

  /// True if Name matches; for templates, fills Values if given.
  bool match(llvm::StringRef Name, PlaceholderValues *Values = nullptr) const;

  /// The text the pattern was created from.
  llvm::StringRef source() const { return Source; }
  /// Distinct placeholder names in order of first appearance (empty for a
  /// regex).
  const std::vector<std::string> &placeholders() const { return Names; }
  bool hasPlaceholder(llvm::StringRef Name) const;

private:
  NamePattern() = default;
  std::string Source;
  // Regex is not copyable and keeps a pointer to its compiled form; holding
  // it by pointer keeps NamePattern cheaply movable.
  std::unique_ptr<llvm::Regex> RE;
  // Placeholder name of each capture group, in group order (may repeat).
  std::vector<std::string> GroupNames;
  std::vector<std::string> Names;
};

/// Replaces each {X} in Template by Values[X]. A placeholder with no value
/// is an error naming it.
llvm::Expected<std::string>
substitutePlaceholders(llvm::StringRef Template,
                       const PlaceholderValues &Values);

/// Placeholder names used in Template, in order of first appearance, or an
/// error if it is malformed (unterminated or empty {}).
llvm::Expected<std::vector<std::string>>
templatePlaceholders(llvm::StringRef Template);

} // namespace ggufc

#endif
