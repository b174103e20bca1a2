//===- TokenizerChatTemplate.cpp - tokenizer.chat_template
//-----------------===//
//
// Sources, first found wins (as llama.cpp's converter): tokenizer_config.json
// "chat_template"; chat_template.jinja plus additional_chat_templates/*.jinja
// (named by file stem); chat_template.json "chat_template". A template is a
// string or a list of {name, template}: "default" becomes
// tokenizer.chat_template, any other name tokenizer.chat_template.<name>
// (non-alphanumerics replaced by '_'), and tokenizer.chat_templates lists
// those other names.
//
//===----------------------------------------------------------------------===//
#include "TokenizerParts.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <algorithm>

using namespace llvm;
using nlohmann::json;

namespace ggufc {
namespace tokenizer {

namespace {
struct NamedTemplate {
  std::string Name;
  std::string Template;
};
} // namespace

static std::string sanitizeTemplateName(StringRef Name) {
  std::string Out = Name.str();
  for (char &C : Out)
    if (!isAlnum(C))
      C = '_';
  return Out;
}

static void writeTemplates(ArrayRef<NamedTemplate> Templates, Metadata &Meta) {
  std::vector<std::string> OtherNames;
  for (const NamedTemplate &T : Templates) {
    std::string Name = sanitizeTemplateName(T.Name);
    if (Name == "default") {
      Meta.set("tokenizer.chat_template", MetaValue::str(T.Template));
      continue;
    }
    Meta.set("tokenizer.chat_template." + Name, MetaValue::str(T.Template));
    if (!is_contained(OtherNames, Name))
      OtherNames.push_back(Name);
  }
  if (!OtherNames.empty())
    Meta.set("tokenizer.chat_templates",
             MetaValue::strArray(std::move(OtherNames)));
}

/// A "chat_template" value of tokenizer_config.json or chat_template.json.
/// List entries without a name or template are skipped, as llama.cpp does.
static Expected<std::vector<NamedTemplate>>
parseTemplateValue(StringRef Path, const json &Value) {
  std::vector<NamedTemplate> Templates;
  if (Value.is_string()) {
    Templates.push_back({"default", Value.get<std::string>()});
    return Templates;
  }
  if (!Value.is_array())
    return fileError(Path, "chat_template: expected a string or a list of "
                           "{name, template}");
  for (size_t I = 0; I < Value.size(); ++I) {
    const json &Entry = Value[I];
    auto Name = Entry.is_object() ? Entry.find("name") : Entry.end();
    auto Template = Entry.is_object() ? Entry.find("template") : Entry.end();
    bool NameOK = Name == Entry.end() || Name->is_null() || Name->is_string();
    bool TemplateOK =
        Template == Entry.end() || Template->is_null() || Template->is_string();
    if (!Entry.is_object() || !NameOK || !TemplateOK)
      return fileError(Path, "chat_template[" + Twine(I) +
                                 "]: expected {name, template} strings");
    if (Name == Entry.end() || !Name->is_string() ||
        Name->get_ref<const std::string &>().empty() ||
        Template == Entry.end() || !Template->is_string())
      continue;
    Templates.push_back(
        {Name->get<std::string>(), Template->get<std::string>()});
  }
  return Templates;
}

static Expected<std::string> readTextFile(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return fileError(Path, "cannot open: " + Buffer.getError().message());
  return (*Buffer)->getBuffer().str();
}

/// chat_template.jinja as the default template, plus the templates in
/// additional_chat_templates/ named by their file stems (sorted by name, so
/// that the output does not depend on directory order).
static Expected<std::vector<NamedTemplate>>
readJinjaTemplates(StringRef JinjaPath, StringRef Dir) {
  std::vector<NamedTemplate> Templates;
  auto Default = readTextFile(JinjaPath);
  if (!Default)
    return Default.takeError();
  Templates.push_back({"default", std::move(*Default)});

  SmallString<256> ExtraDir(Dir);
  sys::path::append(ExtraDir, "additional_chat_templates");
  if (!sys::fs::is_directory(ExtraDir))
    return Templates;
  std::vector<std::string> Paths;
  std::error_code EC;
  for (sys::fs::directory_iterator It(ExtraDir, EC), End; It != End && !EC;
       It.increment(EC))
    if (sys::path::extension(It->path()) == ".jinja")
      Paths.push_back(It->path());
  if (EC)
    return fileError(ExtraDir, "cannot list: " + EC.message());
  llvm::sort(Paths);
  for (const std::string &P : Paths) {
    auto Text = readTextFile(P);
    if (!Text)
      return Text.takeError();
    Templates.push_back({sys::path::stem(P).str(), std::move(*Text)});
  }
  return Templates;
}

Error lowerChatTemplate(StringRef Dir, const OptionalJSONFile &TokenizerConfig,
                        Metadata &Meta) {
  if (TokenizerConfig.JSON) {
    auto It = TokenizerConfig.JSON->find("chat_template");
    if (It != TokenizerConfig.JSON->end() && !It->is_null()) {
      auto Templates = parseTemplateValue(TokenizerConfig.Path, *It);
      if (!Templates)
        return Templates.takeError();
      writeTemplates(*Templates, Meta);
      return Error::success();
    }
  }

  SmallString<256> JinjaPath(Dir);
  sys::path::append(JinjaPath, "chat_template.jinja");
  if (sys::fs::exists(JinjaPath)) {
    auto Templates = readJinjaTemplates(JinjaPath, Dir);
    if (!Templates)
      return Templates.takeError();
    writeTemplates(*Templates, Meta);
    return Error::success();
  }

  auto TemplateJSON = readOptionalJSONFile(Dir, "chat_template.json");
  if (!TemplateJSON)
    return TemplateJSON.takeError();
  if (!TemplateJSON->JSON)
    return Error::success();
  auto It = TemplateJSON->JSON->find("chat_template");
  if (It == TemplateJSON->JSON->end() || It->is_null())
    return Error::success();
  auto Templates = parseTemplateValue(TemplateJSON->Path, *It);
  if (!Templates)
    return Templates.takeError();
  writeTemplates(*Templates, Meta);
  return Error::success();
}

} // namespace tokenizer
} // namespace ggufc
