// vk::Error and vk::Result<T>: the one error type of venuekiosk.
//
// Everything that can fail returns a Result. C error codes (errno, SQLite, TurboJPEG,
// libraw, CURLcode) become an Error at the edge where they happen, carrying the file or
// URL involved and a message written for the person reading it ("the file is truncated"),
// not for the programmer. Exceptions never cross a module boundary.
//
// Debian 12 ships neither tl::expected nor a C++23 std::expected for -std=c++20, so this
// is a deliberately small stand-in with the same shape (value(), error(), operator bool).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace vk {

enum class ErrorCode {
  invalid_input,  // the input is not what it claims or is malformed
  truncated,      // the input ends early
  too_large,      // a configured limit refuses it
  unsupported,    // a real format we do not handle
  not_found,
  io,             // the operating system refused (errno attached to the message)
  no_space,       // disk full or below the configured reserve
  cancelled,      // stopped on purpose (card removed, shutdown)
  database,
  internal,
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;  // plain words, no trailing full stop
  std::string subject;  // the file, URL or item concerned; may be empty

  // "subject: message", or just the message.
  [[nodiscard]] std::string describe() const {
    return subject.empty() ? message : subject + ": " + message;
  }
  [[nodiscard]] Error with_subject(std::string s) const& { return Error{code, message, std::move(s)}; }
};

inline Error make_error(ErrorCode code, std::string message, std::string subject = {}) {
  return Error{code, std::move(message), std::move(subject)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  const Error& error() const& { assert(!ok()); return std::get<1>(state_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(state_)); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  [[nodiscard]] bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { assert(!ok()); return *error_; }
  Error&& error() && { assert(!ok()); return std::move(*error_); }

 private:
  std::optional<Error> error_;
};
using Status = Result<void>;

}  // namespace vk

#define VK_CONCAT_INNER(a, b) a##b
#define VK_CONCAT(a, b) VK_CONCAT_INNER(a, b)

// VK_RETURN_IF_ERROR(status_expr): propagate the Error of a failed Result.
#define VK_RETURN_IF_ERROR(expr)                      \
  do {                                                \
    auto vk_status_ = (expr);                         \
    if (!vk_status_) return std::move(vk_status_).error(); \
  } while (0)

// VK_ASSIGN_OR_RETURN(decl, result_expr): `decl = value` or propagate the Error.
#define VK_ASSIGN_OR_RETURN(decl, expr) VK_ASSIGN_OR_RETURN_IMPL(VK_CONCAT(vk_result_, __LINE__), decl, expr)
#define VK_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                              \
  if (!tmp) return std::move(tmp).error();        \
  decl = std::move(tmp).value()
