#include "sqlite.h"

namespace vk::catalog::sql {

Error error(sqlite3* db, std::string_view what) {
  const int code = db != nullptr ? sqlite3_errcode(db) : SQLITE_ERROR;
  ErrorCode ec = ErrorCode::database;
  if (code == SQLITE_FULL) ec = ErrorCode::no_space;
  std::string message = "catalog database: " + std::string(what) + " failed";
  if (db != nullptr) message += std::string(" (") + sqlite3_errmsg(db) + ")";
  return make_error(ec, message);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), sql_(sql) {
  sqlite3_stmt* raw = nullptr;
  sqlite3_prepare_v2(db, sql_.data(), static_cast<int>(sql_.size()), &raw, nullptr);
  stmt_.reset(raw);
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
  return *this;
}
Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}
Statement& Statement::bind(int index, const std::optional<int>& value) {
  return value ? bind(index, static_cast<std::int64_t>(*value)) : bind_null(index);
}
Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_.get(), index);
  return *this;
}

Result<bool> Statement::step() {
  if (!stmt_) return error(db_, "preparing \"" + sql_.substr(0, 60) + "\"");
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return error(db_, "statement \"" + sql_.substr(0, 60) + "\"");
}

Status Statement::run() {
  while (true) {
    VK_ASSIGN_OR_RETURN(const bool row, step());
    if (!row) return {};
  }
}

std::string Statement::text(int col) const {
  const auto* p = sqlite3_column_text(stmt_.get(), col);
  return p != nullptr ? std::string(reinterpret_cast<const char*>(p)) : std::string();
}
std::optional<std::string> Statement::optional_text(int col) const {
  if (sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL) return std::nullopt;
  return text(col);
}
std::optional<int> Statement::optional_int(int col) const {
  if (sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL) return std::nullopt;
  return integer(col);
}

Status exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return error(db, std::string("\"") + sql + "\"");
  return {};
}

Transaction::Transaction(sqlite3* db) : db_(db), begun_(exec(db, "BEGIN IMMEDIATE")) {}
Transaction::~Transaction() {
  if (begun_.ok() && !done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}
Status Transaction::commit() {
  VK_RETURN_IF_ERROR(exec(db_, "COMMIT"));
  done_ = true;
  return {};
}

}  // namespace vk::catalog::sql
