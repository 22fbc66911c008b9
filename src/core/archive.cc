#include "core/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <unistd.h>

#include <memory>

#include "core/error.h"

namespace ljail {
namespace {

struct ReaderCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriterCloser {
  void operator()(archive* a) const { archive_write_free(a); }
};

[[noreturn]] void Fail(archive* a, const std::string& what) {
  const char* why = archive_error_string(a);
  ThrowFailure(fmt::format("{}: {}", what, why ? why : "unknown libarchive error"));
}

// Writes the current entry's data blocks to the disk writer.
void CopyData(archive* in, archive* out, const std::string& what) {
  const void* buffer;
  size_t size;
  la_int64_t offset;
  for (;;) {
    int r = archive_read_data_block(in, &buffer, &size, &offset);
    if (r == ARCHIVE_EOF) return;
    if (r < ARCHIVE_OK) Fail(in, what);
    if (archive_write_data_block(out, buffer, size, offset) < ARCHIVE_OK) Fail(out, what);
  }
}

}  // namespace

size_t ExtractArchive(const std::string& path, const std::string& destination,
                      const ExtractOptions& options) {
  std::unique_ptr<archive, ReaderCloser> in(archive_read_new());
  archive_read_support_filter_all(in.get());
  archive_read_support_format_all(in.get());
  if (archive_read_open_filename(in.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) {
    Fail(in.get(), fmt::format("open \"{}\"", path));
  }
  int flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_ACL |
              ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_UNLINK | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
              ARCHIVE_EXTRACT_SECURE_SYMLINKS;
  if (options.owners && ::geteuid() == 0) flags |= ARCHIVE_EXTRACT_OWNER;
  if (options.file_flags) flags |= ARCHIVE_EXTRACT_FFLAGS;
  std::unique_ptr<archive, WriterCloser> out(archive_write_disk_new());
  archive_write_disk_set_options(out.get(), flags);
  // Numeric ids: the tree's own passwd decides who they are, not the host's.

  size_t count = 0;
  std::string prefix = destination;
  if (!prefix.ends_with('/')) prefix += '/';
  for (;;) {
    archive_entry* entry = nullptr;
    int r = archive_read_next_header(in.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) Fail(in.get(), fmt::format("read \"{}\"", path));
    std::string name = archive_entry_pathname(entry);
    std::string what = fmt::format("extract \"{}\" from \"{}\"", name, path);
    if (name.starts_with('/')) ThrowFailure(what + ": absolute name refused");
    while (name.starts_with("./")) name.erase(0, 2);
    // Entries land under the destination; hard links point there too.
    archive_entry_set_pathname(entry, (prefix + name).c_str());
    if (const char* link = archive_entry_hardlink(entry)) {
      std::string target = link;
      while (target.starts_with("./")) target.erase(0, 2);
      archive_entry_set_hardlink(entry, (prefix + target).c_str());
    }
    r = archive_write_header(out.get(), entry);
    if (r < ARCHIVE_WARN) Fail(out.get(), what);
    // ARCHIVE_WARN (an owner it could not set, say) still wants the data.
    if (archive_entry_size(entry) > 0) CopyData(in.get(), out.get(), what);
    if (archive_write_finish_entry(out.get()) < ARCHIVE_WARN) Fail(out.get(), what);
    ++count;
    if (options.progress) options.progress(count);
  }
  if (archive_write_close(out.get()) != ARCHIVE_OK)
    Fail(out.get(), fmt::format("finish \"{}\"", path));
  return count;
}

}  // namespace ljail
