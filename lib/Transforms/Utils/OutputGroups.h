//===- OutputGroups.h - Numbered groups, output replacement ---------------===//
//
// Two mechanisms shared by the passes that join or split outputs (stack,
// expert-fuse):
//   - findNumberedGroups: the outputs whose names match a template with an
//     {E} placeholder, grouped by the template's other placeholders, each
//     group ordered by {E} as a number and checked to hold exactly the
//     indices 0..k-1, all of one type;
//   - replaceOutputs: removes sets of outputs and puts new ones where the
//     first removed output of each set was.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_TRANSFORMS_OUTPUTGROUPS_H
#define GGUFC_LIB_TRANSFORMS_OUTPUTGROUPS_H

#include "ggufc/IR/Module.h"
#include "ggufc/Transforms/NamePattern.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Optional.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ggufc {

/// The placeholder that numbers the members of a group.
constexpr const char *MemberIndexPlaceholder = "E";

struct NumberedGroup {
  /// The name template filled in with the group's placeholder values.
  std::string Name;
  /// The values of the pattern's placeholders other than {E}.
  PlaceholderValues Values;
  /// Output positions of the members, ordered by {E} (0, 1, ..., k-1).
  std::vector<size_t> Members;
};

/// Groups the outputs matching Pattern (which must have an {E}
/// placeholder), in order of each group's first output. Errors: an index too
/// large, a missing index ("no tensor matching ... has {E} = 1 (found 0,
/// 2)"), a repeated one ("1" and "01"), members of different types. Errors
/// start with "cannot stack '<group name>'".
llvm::Expected<std::vector<NumberedGroup>>
findNumberedGroups(const Module &M, const NamePattern &Pattern,
                   llvm::StringRef NameTemplate);

/// The storage type all outputs at Positions share, or None if they differ.
llvm::Optional<StorageType> commonStorageType(const Module &M,
                                        llvm::ArrayRef<size_t> Positions);

struct OutputReplacement {
  /// Positions of the outputs to remove (at least one).
  std::vector<size_t> Removed;
  /// The outputs that take the place of the first removed one, in order.
  std::vector<Output> Added;
};

/// The first added name that an output outside every Removed set, or another
/// added output, already has; None if all are free.
llvm::Optional<std::string> findTakenName(const Module &M,
                                          llvm::ArrayRef<OutputReplacement> Rs);

/// Applies Rs (which must be disjoint, with free names); other outputs keep
/// their order.
void replaceOutputs(Module &M, std::vector<OutputReplacement> Rs);

} // namespace ggufc

#endif
