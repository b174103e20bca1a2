//===- SafeTensors.cpp - Memory-mapped SafeTensors files ------------------===//
//
// open() checks everything a later read relies on, so that a malformed or
// hostile file is rejected with one clear message before any tensor data is
// touched.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Frontend/SafeTensors.h"
#include "ggufc/Frontend/Config.h"
#include "ggufc/IR/Printer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <sys/mman.h>

using namespace llvm;
using json = nlohmann::json;

namespace ggufc {

/// SafeTensors dtype names ggufc reads.
static Optional<DType> parseSafeTensorsDType(StringRef Name) {
  if (Name == "F32")
    return DType::F32;
  if (Name == "F16")
    return DType::F16;
  if (Name == "BF16")
    return DType::BF16;
  return None;
}

/// Parses the header, rejecting a tensor name given twice (nlohmann would
/// keep one silently). Names lists the top-level keys in header order.
static Expected<json> parseHeader(StringRef Path, StringRef Text,
                                  std::vector<std::string> &Names) {
  StringSet<> Seen;
  std::string Duplicate;
  auto Callback = [&](int Depth, json::parse_event_t Event, json &Parsed) {
    if (Event == json::parse_event_t::key && Depth == 1 && Parsed.is_string()) {
      const std::string &Key = Parsed.get_ref<const std::string &>();
      if (!Seen.insert(Key).second && Duplicate.empty())
        Duplicate = Key;
      Names.push_back(Key);
    }
    return true;
  };
  auto Header = parseJSON(Text, (Path + ": header").str(), Callback);
  if (!Header)
    return Header.takeError();
  if (!Header->is_object())
    return fileError(Path, "header is not a JSON object");
  if (!Duplicate.empty())
    return fileError(Path,
                     "duplicate tensor name '" + Duplicate + "' in header");
  return Header;
}

/// Reads a JSON array of non-negative integers.
static bool readUInts(const json &V, std::vector<uint64_t> &Out) {
  if (!V.is_array())
    return false;
  for (const json &E : V) {
    if (!E.is_number_unsigned())
      return false;
    Out.push_back(E.get<uint64_t>());
  }
  return true;
}

/// Validates one header entry. DataStart/DataSize locate the data section;
/// data_offsets are relative to it.
static Expected<SafeTensorInfo> readEntry(StringRef Path,
                                          const std::string &Name,
                                          const json &Entry, uint64_t DataStart,
                                          uint64_t DataSize) {
  auto Bad = [&](const Twine &Msg) {
    return fileError(Path, "tensor '" + Name + "': " + Msg);
  };
  if (!Entry.is_object())
    return Bad("entry is not a JSON object");
  for (const char *Field : {"dtype", "shape", "data_offsets"})
    if (!Entry.contains(Field))
      return Bad(Twine("missing '") + Field + "'");

  const json &DT = Entry["dtype"];
  if (!DT.is_string())
    return Bad("'dtype' is not a string");
  Optional<DType> Elem = parseSafeTensorsDType(DT.get<std::string>());
  if (!Elem)
    return fileError(Path, "tensor '" + Name + "' has dtype " +
                               DT.get<std::string>() +
                               "; supported: F32, F16, BF16");

  std::vector<uint64_t> Dims, Offsets;
  if (!readUInts(Entry["shape"], Dims))
    return Bad("'shape' is not a list of non-negative integers");
  if (!readUInts(Entry["data_offsets"], Offsets) || Offsets.size() != 2)
    return Bad("'data_offsets' is not a pair of non-negative integers");

  SafeTensorInfo Info;
  Info.Name = Name;
  Info.Type.Elem = *Elem;
  // Element count with overflow checks: a huge shape must not wrap around
  // to a size that happens to match.
  uint64_t Bytes = dtypeSize(*Elem);
  bool Overflow = false;
  for (uint64_t D : Dims) {
    Overflow |= D > uint64_t(std::numeric_limits<int64_t>::max()) ||
                __builtin_mul_overflow(Bytes, D, &Bytes);
    Info.Type.Dims.push_back(int64_t(D));
  }
  uint64_t Begin = Offsets[0], End = Offsets[1];
  if (Begin > End || End > DataSize)
    return Bad("data offsets [" + Twine(Begin) + ", " + Twine(End) +
               "] out of range (the data section has " + Twine(DataSize) +
               " bytes)");
  if (Overflow || Bytes != End - Begin)
    return Bad("shape and byte-size mismatch: " + formatType(Info.Type) +
               " needs " + (Overflow ? Twine("more than 2^64") : Twine(Bytes)) +
               " bytes, data offsets give " + Twine(End - Begin));
  Info.Offset = DataStart + Begin;
  Info.Size = End - Begin;
  return Info;
}

/// Two tensors sharing bytes would alias; reject the first such pair.
static Error checkNoOverlap(StringRef Path,
                            const std::vector<SafeTensorInfo> &Tensors) {
  std::vector<const SafeTensorInfo *> ByOffset;
  for (const SafeTensorInfo &T : Tensors)
    if (T.Size != 0)
      ByOffset.push_back(&T);
  llvm::sort(ByOffset, [](const SafeTensorInfo *L, const SafeTensorInfo *R) {
    return L->Offset < R->Offset;
  });
  for (size_t I = 1; I < ByOffset.size(); ++I) {
    const SafeTensorInfo &Prev = *ByOffset[I - 1], &Cur = *ByOffset[I];
    if (Cur.Offset < Prev.Offset + Prev.Size)
      return fileError(Path, "tensors '" + Prev.Name + "' and '" + Cur.Name +
                                 "' have overlapping data ranges");
  }
  return Error::success();
}

Expected<std::unique_ptr<SafeTensorsFile>>
SafeTensorsFile::open(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                   /*RequiresNullTerminator=*/false);
  if (!Buf)
    return fileError(Path, "cannot open: " + Buf.getError().message());
  auto File = std::unique_ptr<SafeTensorsFile>(new SafeTensorsFile());
  File->Path = Path.str();
  File->Buffer = std::move(*Buf);

  StringRef Bytes = File->Buffer->getBuffer();
  if (Bytes.size() < 8)
    return fileError(Path, "truncated: " + Twine(Bytes.size()) +
                               " bytes, but a SafeTensors file starts with "
                               "an 8-byte header length");
  uint64_t HeaderLen = support::endian::read64le(Bytes.data());
  uint64_t Rest = Bytes.size() - 8;
  if (HeaderLen > Rest)
    return fileError(Path, "header length " + Twine(HeaderLen) +
                               " goes past the end of the file (" +
                               Twine(Rest) + " bytes follow it)");

  std::vector<std::string> Names;
  auto Header = parseHeader(Path, Bytes.substr(8, HeaderLen), Names);
  if (!Header)
    return Header.takeError();
  uint64_t DataStart = 8 + HeaderLen;
  for (const std::string &Name : Names) {
    if (Name == "__metadata__") // free-form strings, nothing to check
      continue;
    auto Info = readEntry(Path, Name, (*Header)[Name], DataStart,
                          Bytes.size() - DataStart);
    if (!Info)
      return Info.takeError();
    File->Index[Name] = File->Tensors.size();
    File->Tensors.push_back(std::move(*Info));
  }
  if (Error E = checkNoOverlap(Path, File->Tensors))
    return E;
  return File;
}

const SafeTensorInfo *SafeTensorsFile::find(StringRef Name) const {
  auto It = Index.find(Name);
  return It == Index.end() ? nullptr : &Tensors[It->second];
}

ArrayRef<uint8_t> SafeTensorsFile::bytes(const SafeTensorInfo &T) const {
  return makeArrayRef(
      reinterpret_cast<const uint8_t *>(Buffer->getBufferStart()) + T.Offset,
      T.Size);
}

void SafeTensorsFile::releasePages(const SafeTensorInfo &T) const {
  if (Buffer->getBufferKind() != MemoryBuffer::MemoryBuffer_MMap)
    return; // heap memory: MADV_DONTNEED would zero it
  // Only whole pages inside the tensor; neighbours keep theirs.
  uintptr_t PageSize = uintptr_t(sys::Process::getPageSizeEstimate());
  uintptr_t Begin = uintptr_t(Buffer->getBufferStart()) + T.Offset;
  uintptr_t End = Begin + T.Size;
  Begin = alignTo(Begin, PageSize);
  End = alignDown(End, PageSize);
  if (Begin < End)
    ::madvise(reinterpret_cast<void *>(Begin), End - Begin, MADV_DONTNEED);
}

//===----------------------------------------------------------------------===//
// TensorStore
//===----------------------------------------------------------------------===//

Expected<const SafeTensorsFile *> TensorStore::file(StringRef File) {
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Files.find(File);
  if (It != Files.end())
    return It->second.get();
  SmallString<256> Path(Dir);
  sys::path::append(Path, File);
  auto Opened = SafeTensorsFile::open(Path);
  if (!Opened)
    return Opened.takeError();
  const SafeTensorsFile *Result = Opened->get();
  Files.emplace(File.str(), std::move(*Opened));
  return Result;
}

Expected<ArrayRef<uint8_t>>
TensorStore::tensorBytes(StringRef File, StringRef Key,
                         const TensorType &Declared) {
  auto F = file(File);
  if (!F)
    return F.takeError();
  const SafeTensorInfo *T = (*F)->find(Key);
  if (!T)
    return fileError((*F)->path(), "no tensor '" + Key + "'");
  if (T->Type != Declared)
    return fileError((*F)->path(),
                     "tensor '" + Key + "' is " + formatType(T->Type) +
                         ", but the IR declares " + formatType(Declared));
  return (*F)->bytes(*T);
}

void TensorStore::releaseTensor(StringRef File, StringRef Key) {
  const SafeTensorsFile *F = nullptr;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Files.find(File);
    if (It == Files.end())
      return;
    F = It->second.get();
  }
  if (const SafeTensorInfo *T = F->find(Key))
    F->releasePages(*T);
}

} // namespace ggufc
