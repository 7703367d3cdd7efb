#include "zip_stream.h"

#include <zlib.h>

#include <algorithm>
#include <memory>
#include <new>
#include <optional>

#include "file_cache.h"
#include "guest_copy.h"
#include "http.h"
#include "server_impl.h"

namespace vk::web {
namespace {

constexpr std::size_t kSlice = 256 * 1024;
// Past 4 GiB (a few hundred originals) a ZIP needs Zip64 records for its offsets; below, the
// classic records alone, which every unzip reads.
constexpr std::uint64_t kMax32 = 0xFFFFFFFF;
constexpr std::uint64_t kMax16 = 0xFFFF;

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}
void put64(std::string& out, std::uint64_t v) {
  put32(out, static_cast<std::uint32_t>(v & kMax32));
  put32(out, static_cast<std::uint32_t>(v >> 32));
}
// A field that holds the value, or the all-ones marker that sends readers to the Zip64 record.
std::uint32_t or_marker32(std::uint64_t v) {
  return static_cast<std::uint32_t>(std::min(v, kMax32));
}
std::uint32_t or_marker16(std::uint64_t v) {
  return static_cast<std::uint32_t>(std::min(v, kMax16));
}

struct Central {
  std::string name;
  std::uint32_t crc = 0, size = 0;  // a member is below 4 GiB (open_member), its offset need not be
  std::uint64_t offset = 0;
};

// The next member, read in and cleaned on a file_reads worker while the current one streams.
struct Prepared {
  std::size_t index = 0;  // its place in the member list; the list's size: no member is left
  std::shared_ptr<const MappedFile> file;
  std::vector<image::Piece> pieces;  // the file, or its GPS-free pieces
  std::uint64_t size = 0;            // of the pieces: what the ZIP holds
};

struct ZipBody {
  h2o_generator_t generator;
  Server::Impl* server = nullptr;
  std::shared_ptr<const std::vector<ZipMember>> members;  // shared with the worker jobs
  std::size_t search_from = 0;                            // where the next member is looked for
  std::optional<Prepared> ready;                          // the next member, once prepared
  bool preparing = false;                                 // a worker job for it is running
  bool waiting = false;    // proceed() found nothing ready: the job's end sends the next slice
  bool abandoned = false;  // the server stopped before the next member was read: no more slices
  bool in_member = false;
  std::shared_ptr<const MappedFile> file;
  std::shared_ptr<const MappedFile> sending;  // the finished member's mapping, alive until its last slice is sent
  std::vector<image::Piece> pieces;           // the current member: the file, or its GPS-free pieces
  std::vector<image::Piece> sending_pieces;   // the finished member's, alive until its last slice is sent
  std::size_t piece = 0;                      // the piece being sent
  std::uint64_t in_piece = 0;                 // bytes of it already sent
  std::uint64_t position = 0;                 // within the member
  std::uint64_t member_size = 0;
  std::uint32_t crc = 0;
  std::uint64_t offset = 0;  // bytes of the ZIP sent so far
  std::vector<Central> central;
  std::string pending;  // headers sent with the current slice; alive until the next call
  bool done = false;
};

void local_header(ZipBody& z, const std::string& name) {
  put32(z.pending, 0x04034b50);
  put16(z.pending, 20);
  put16(z.pending, 0x0808);  // sizes in the data descriptor; names are UTF-8
  put16(z.pending, 0);       // stored
  put16(z.pending, 0);       // time
  put16(z.pending, 0x21);    // date: 1980-01-01
  put32(z.pending, 0);
  put32(z.pending, 0);
  put32(z.pending, 0);
  put16(z.pending, static_cast<std::uint32_t>(name.size()));
  put16(z.pending, 0);
  z.pending += name;
}

void finish_member(ZipBody& z) {
  put32(z.pending, 0x08074b50);
  put32(z.pending, z.crc);
  put32(z.pending, static_cast<std::uint32_t>(z.member_size));
  put32(z.pending, static_cast<std::uint32_t>(z.member_size));
  z.central.back().crc = z.crc;
  z.central.back().size = static_cast<std::uint32_t>(z.member_size);
  z.in_member = false;
  z.sending = std::move(z.file);
  z.sending_pieces = std::move(z.pieces);
}

void central_directory(ZipBody& z) {
  const std::uint64_t start = z.offset + z.pending.size();
  std::string& out = z.pending;
  const std::size_t before = out.size();
  for (const auto& c : z.central) {
    const bool far = c.offset >= kMax32;  // its offset goes in a Zip64 extra field
    put32(out, 0x02014b50);
    put16(out, 45);             // made by: 4.5, the version that knows Zip64
    put16(out, far ? 45 : 20);  // needed to extract
    put16(out, 0x0808);
    put16(out, 0);
    put16(out, 0);
    put16(out, 0x21);
    put32(out, c.crc);
    put32(out, c.size);
    put32(out, c.size);
    put16(out, static_cast<std::uint32_t>(c.name.size()));
    put16(out, far ? 12 : 0);  // extra field length
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    put32(out, 0);
    put32(out, or_marker32(c.offset));
    out += c.name;
    if (far) {
      put16(out, 0x0001);  // Zip64 extended information: only the field that overflowed
      put16(out, 8);
      put64(out, c.offset);
    }
  }
  const std::uint64_t size = out.size() - before;
  const std::uint64_t entries = z.central.size();
  if (start >= kMax32 || size >= kMax32 || entries >= kMax16) {
    const std::uint64_t record_at = z.offset + out.size();
    put32(out, 0x06064b50);  // Zip64 end of central directory record
    put64(out, 44);          // its size after this field
    put16(out, 45);
    put16(out, 45);
    put32(out, 0);
    put32(out, 0);
    put64(out, entries);
    put64(out, entries);
    put64(out, size);
    put64(out, start);
    put32(out, 0x07064b50);  // and its locator
    put32(out, 0);
    put64(out, record_at);
    put32(out, 1);
  }
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, or_marker16(entries));
  put16(out, or_marker16(entries));
  put32(out, or_marker32(size));
  put32(out, or_marker32(start));
  put16(out, 0);
}

// The first member from `from` on that can be sent: read in whole and cleaned of GPS. Members
// whose file vanished or cannot be read are left out, and so is one that cannot be cleaned (CR3,
// RAF, damaged), rather than leak its location. Blocks on the disk: worker threads.
Prepared prepare_member(const std::vector<ZipMember>& members, std::size_t from) {
  for (std::size_t i = from; i < members.size(); ++i) {
    const auto& m = members[i];
    auto file = MappedFile::open(m.path);
    if (!file) continue;
    GuestCopy copy = guest_copy(**file, m.strip_gps);
    if (copy.fault != CopyFault::none) continue;
    Prepared p{i, std::move(*file), std::move(copy.clean.pieces), 0};
    for (const auto& piece : p.pieces) p.size += piece.size();
    if (p.size >= kMax32) continue;  // no photo is 4 GiB; such a file would need Zip64 sizes too
    return p;
  }
  return Prepared{members.size(), nullptr, {}, 0};
}

void proceed(h2o_generator_t* generator, h2o_req_t* req);

// Starts preparing the next member on a worker, unless it is ready or on its way. When the
// worker queue is full, prepares it here: the loop waits on the disk once rather than the
// download failing.
void prepare_ahead(ZipBody& z, h2o_req_t* req) {
  if (z.ready || z.preparing) return;
  if (z.search_from >= z.members->size()) {
    z.ready = Prepared{z.members->size(), nullptr, {}, 0};
    return;
  }
  auto result = std::make_shared<Prepared>();
  z.preparing = run_off_loop(
      *z.server, z.server->file_reads, req,
      [result, members = z.members, from = z.search_from] { *result = prepare_member(*members, from); },
      [body = &z, result](h2o_req_t* resumed) {  // the request is alive, so is its ZipBody
        body->preparing = false;
        body->ready = std::move(*result);
        if (body->waiting) {
          body->waiting = false;
          proceed(&body->generator, resumed);
        }
      },
      [body = &z](h2o_req_t* abandoned) {
        body->preparing = false;
        body->abandoned = true;
        if (body->waiting) {
          body->waiting = false;
          proceed(&body->generator, abandoned);
        }  // otherwise the next proceed() ends it, once the slice being sent is out
      });
  if (!z.preparing) z.ready = prepare_member(*z.members, z.search_from);
}

void start_member(ZipBody& z, Prepared next) {
  z.file = std::move(next.file);
  z.pieces = std::move(next.pieces);
  z.member_size = next.size;
  z.piece = 0;
  z.in_piece = 0;
  z.position = 0;
  z.crc = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
  const std::string& name = (*z.members)[next.index].name;
  z.central.push_back({name, 0, 0, z.offset + z.pending.size()});
  local_header(z, name);
  z.in_member = true;
  z.search_from = next.index + 1;
}

void proceed(h2o_generator_t* generator, h2o_req_t* req) {
  auto* z = reinterpret_cast<ZipBody*>(generator);
  z->offset += z->pending.size();
  z->pending.clear();
  z->sending.reset();
  z->sending_pieces.clear();
  if (z->done) return;
  if (z->abandoned) {
    // The server is stopping: end the connection without the ZIP's last chunk, so the phone
    // sees a broken download, never a complete-looking but truncated archive.
    z->done = true;
    h2o_send(req, nullptr, 0, H2O_SEND_STATE_ERROR);
    return;
  }
  if (!z->in_member) {
    prepare_ahead(*z, req);
    if (!z->ready) {
      z->waiting = true;
      return;
    }
    Prepared next = std::move(*z->ready);
    z->ready.reset();
    if (next.index >= z->members->size()) {
      central_directory(*z);
      z->done = true;
      h2o_iovec_t buf = h2o_iovec_init(z->pending.data(), z->pending.size());
      h2o_send(req, &buf, 1, H2O_SEND_STATE_FINAL);
      return;
    }
    start_member(*z, std::move(next));
    prepare_ahead(*z, req);  // the one after, read while this one streams
  }
  // One slice of the member: the pending headers, then up to kSlice bytes of data.
  h2o_iovec_t bufs[3];
  std::size_t count = 0;
  std::uint64_t sent = 0;
  std::string_view data;
  // At most kSlice bytes of the current piece; the CRC and size cover exactly what is sent.
  if (z->piece < z->pieces.size()) {
    const auto& p = z->pieces[z->piece];
    const char* base = p.is_held() ? p.held.data() : reinterpret_cast<const char*>(z->file->bytes().data()) + p.offset;
    const std::uint64_t n = std::min<std::uint64_t>(kSlice, p.size() - z->in_piece);
    data = std::string_view(base + z->in_piece, n);
    z->in_piece += n;
    if (z->in_piece == p.size()) {
      ++z->piece;
      z->in_piece = 0;
    }
  }
  z->crc = static_cast<std::uint32_t>(
      crc32(z->crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
  z->position += data.size();
  sent = data.size();
  const std::size_t header_bytes = z->pending.size();
  if (z->position >= z->member_size) finish_member(*z);  // appends the descriptor to pending
  // pending = [local header] + [descriptor]; the data goes between them.
  const std::string_view pending(z->pending);
  // Empty buffers are left out: h2o's chunked encoder must never see a zero-length slice.
  if (header_bytes > 0) bufs[count++] = h2o_iovec_init(pending.data(), header_bytes);
  if (!data.empty()) bufs[count++] = h2o_iovec_init(data.data(), data.size());
  if (pending.size() > header_bytes)
    bufs[count++] = h2o_iovec_init(pending.data() + header_bytes, pending.size() - header_bytes);
  z->offset += sent;
  h2o_send(req, bufs, count, H2O_SEND_STATE_IN_PROGRESS);
}

void stop(h2o_generator_t*, h2o_req_t*) {}

}  // namespace

void send_zip(Server::Impl& server, h2o_req_t* req, std::vector<ZipMember> members, const std::string& filename) {
  req->res.status = 200;
  req->res.reason = "OK";
  add_header(req, H2O_TOKEN_CONTENT_TYPE, "application/zip");
  add_header(req, H2O_TOKEN_CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
  add_header(req, H2O_TOKEN_CACHE_CONTROL, "private, no-store");
  add_header(req, "x-content-type-options", "nosniff");
  add_header(req, "referrer-policy", "no-referrer");
  auto* body = static_cast<ZipBody*>(
      h2o_mem_alloc_shared(&req->pool, sizeof(ZipBody), [](void* p) { static_cast<ZipBody*>(p)->~ZipBody(); }));
  new (body) ZipBody{};
  body->generator = {proceed, stop};
  body->server = &server;
  body->members = std::make_shared<const std::vector<ZipMember>>(std::move(members));
  h2o_start_response(req, &body->generator);
  proceed(&body->generator, req);
}

}  // namespace vk::web
