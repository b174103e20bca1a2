//===- NamePattern.cpp - Selecting outputs by tensor name -------------------===//
#include "ggufc/Transforms/NamePattern.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace ggufc {

/// Walks Template in order, reporting literal runs and placeholder names.
/// The single parser of template syntax, shared by matching and
/// substitution.
static Error forEachTemplatePiece(StringRef Template,
                                  function_ref<void(StringRef)> OnLiteral,
                                  function_ref<Error(StringRef)> OnPlaceholder) {
  StringRef Rest = Template;
  while (!Rest.empty()) {
    size_t Open = Rest.find('{');
    if (Open != 0)
      OnLiteral(Rest.substr(0, Open));
    if (Open == StringRef::npos)
      break;
    size_t Close = Rest.find('}', Open);
    if (Close == StringRef::npos)
      return createStringError(inconvertibleErrorCode(),
                               "unterminated '{' in name template '%s'",
                               Template.str().c_str());
    StringRef Name = Rest.slice(Open + 1, Close);
    if (Name.empty() || !all_of(Name, [](char C) {
          return isAlnum(C) || C == '_';
        }))
      return createStringError(
          inconvertibleErrorCode(),
          "bad placeholder '{%s}' in name template '%s' (expected a name "
          "such as {N})",
          Name.str().c_str(), Template.str().c_str());
    if (Error E = OnPlaceholder(Name))
      return E;
    Rest = Rest.drop_front(Close + 1);
  }
  return Error::success();
}

static Expected<std::unique_ptr<Regex>> compileWholeName(StringRef Body,
                                                         StringRef Source) {
  auto RE = std::make_unique<Regex>(("^" + Body + "$").str());
  std::string Why;
  if (!RE->isValid(Why))
    return createStringError(inconvertibleErrorCode(),
                             "invalid regular expression '%s': %s",
                             Source.str().c_str(), Why.c_str());
  return RE;
}

Expected<NamePattern> NamePattern::fromRegex(StringRef Regex) {
  if (Regex.empty())
    return createStringError(inconvertibleErrorCode(),
                             "empty regular expression");
  NamePattern P;
  P.Source = Regex.str();
  // The group makes alternatives ("a|b") anchor as a whole.
  auto RE = compileWholeName(("(" + Regex + ")").str(), Regex);
  if (!RE)
    return RE.takeError();
  P.RE = std::move(*RE);
  return P;
}

Expected<NamePattern> NamePattern::fromAnyRegex(ArrayRef<const char *> Regexes) {
  std::string Alternatives;
  for (const char *R : Regexes)
    Alternatives += (Alternatives.empty() ? "(" : "|(") + std::string(R) + ")";
  return fromRegex(Alternatives);
}

Expected<NamePattern> NamePattern::fromTemplate(StringRef Template) {
  if (Template.empty())
    return createStringError(inconvertibleErrorCode(), "empty name template");
  NamePattern P;
  P.Source = Template.str();
  std::string Body;
  Error E = forEachTemplatePiece(
      Template, [&](StringRef Literal) { Body += Regex::escape(Literal); },
      [&](StringRef Name) {
        Body += "([0-9]+)";
        P.GroupNames.push_back(Name.str());
        if (!is_contained(P.Names, Name))
          P.Names.push_back(Name.str());
        return Error::success();
      });
  if (E)
    return E;
  auto RE = compileWholeName(Body, Template);
  if (!RE)
    return RE.takeError();
  P.RE = std::move(*RE);
  return P;
}

bool NamePattern::match(StringRef Name, PlaceholderValues *Values) const {
  SmallVector<StringRef, 4> Groups;
  if (!RE->match(Name, &Groups))
    return false;
  PlaceholderValues Found;
  for (size_t I = 0; I < GroupNames.size(); ++I) {
    StringRef Digits = Groups[I + 1];
    auto Inserted = Found.emplace(GroupNames[I], Digits.str());
    // A repeated placeholder must stand for the same number each time.
    if (!Inserted.second && Inserted.first->second != Digits)
      return false;
  }
  if (Values)
    *Values = std::move(Found);
  return true;
}

bool NamePattern::hasPlaceholder(StringRef Name) const {
  return is_contained(Names, Name);
}

Expected<std::string> substitutePlaceholders(StringRef Template,
                                             const PlaceholderValues &Values) {
  std::string Out;
  Error E = forEachTemplatePiece(
      Template, [&](StringRef Literal) { Out += Literal.str(); },
      [&](StringRef Name) -> Error {
        auto It = Values.find(Name.str());
        if (It == Values.end())
          return createStringError(inconvertibleErrorCode(),
                                   "placeholder '{%s}' of '%s' has no value",
                                   Name.str().c_str(), Template.str().c_str());
        Out += It->second;
        return Error::success();
      });
  if (E)
    return E;
  return Out;
}

Expected<std::vector<std::string>> templatePlaceholders(StringRef Template) {
  std::vector<std::string> Names;
  Error E = forEachTemplatePiece(
      Template, [](StringRef) {},
      [&](StringRef Name) {
        if (!is_contained(Names, Name))
          Names.push_back(Name.str());
        return Error::success();
      });
  if (E)
    return E;
  return Names;
}

} // namespace ggufc
