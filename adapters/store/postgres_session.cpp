// The PostgreSQL driver of the state store: the only file that includes pqxx.
#include <memory>
#include <pqxx/pqxx>
#include <regex>
#include <string>
#include <vector>

#include "adapters/store/sql_session.h"
#include "adapters/store/sql_store.h"
#include "adapters/store/store.h"

namespace rosterd::adapters::store {
namespace {

using detail::SqlParams;
using detail::SqlRows;

class PostgresSession final : public detail::SqlSession {
 public:
  explicit PostgresSession(const std::string& conninfo)
      : description_("PostgreSQL " + redact_conninfo(conninfo)) {
    try {
      connection_ = std::make_unique<pqxx::connection>(conninfo);
      // CREATE … IF NOT EXISTS and friends send notices; they are not worth a line on stderr.
      connection_->set_variable("client_min_messages", "warning");
    } catch (const std::exception& e) {
      throw StoreError("cannot open state store " + description_ + ": " + e.what());
    }
  }

  [[nodiscard]] detail::Dialect dialect() const noexcept override {
    return detail::Dialect::postgres;
  }
  [[nodiscard]] const std::string& description() const noexcept override { return description_; }

  // Reads see one snapshot (a load's chats, members and invites agree); writes run read
  // committed: they are keyed upserts and deletes, and one school is served by one daemon at a
  // time (leases), so there is nothing for a serialization failure to protect.
  void begin(detail::TxMode mode) override {
    guarded("BEGIN", [&] {
      if (mode == detail::TxMode::read) {
        transaction_ = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(
            *connection_);
      } else {
        transaction_ = std::make_unique<pqxx::work>(*connection_);
      }
    });
  }
  void commit() override {
    guarded("COMMIT", [&] {
      transaction_->commit();
      transaction_.reset();
    });
  }
  void rollback() noexcept override { transaction_.reset(); }  // pqxx aborts on destruction

  std::size_t exec(std::string_view sql, const SqlParams& params) override {
    return static_cast<std::size_t>(run(sql, params).affected_rows());
  }

  [[nodiscard]] SqlRows query(std::string_view sql, const SqlParams& params) override {
    const auto result = run(sql, params);
    SqlRows rows;
    rows.reserve(result.size());
    for (const auto& r : result) {
      detail::SqlRow row;
      row.cells.reserve(r.size());
      for (const auto& field : r) {
        if (field.is_null()) {
          row.cells.emplace_back(std::nullopt);
        } else {
          row.cells.emplace_back(std::string(field.c_str(), field.size()));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void lock_for_migrations() override {
    run("SELECT pg_advisory_xact_lock(hashtext('rosterd.schema_migrations'))", {});
  }

 private:
  template <class Body>
  void guarded(std::string_view what, Body&& body) {
    try {
      body();
    } catch (const std::exception& e) {
      transaction_.reset();
      throw StoreError("state store " + description_ + ": " + e.what() + " (in \"" +
                       std::string{what.substr(0, 60)} + "\")");
    }
  }

  pqxx::result run(std::string_view sql, const SqlParams& params) {
    if (!transaction_) throw StoreError("state store " + description_ + ": no transaction");
    // Text parameters with unknown type: the server infers each from its use, as for literals.
    std::vector<std::string> texts;
    texts.reserve(params.size());
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
      if (std::holds_alternative<std::nullptr_t>(p)) {
        values.push_back(nullptr);
        continue;
      }
      texts.push_back(std::holds_alternative<std::int64_t>(p)
                          ? std::to_string(std::get<std::int64_t>(p))
                          : std::get<std::string>(p));
      values.push_back(nullptr);  // pointed at its text once `texts` stops growing
    }
    for (std::size_t i = 0, t = 0; i < params.size(); ++i) {
      if (!std::holds_alternative<std::nullptr_t>(params[i])) values[i] = texts[t++].c_str();
    }
    pqxx::result result;
    guarded(sql, [&] {
      result =
          transaction_->exec_params(std::string{sql}, pqxx::prepare::make_dynamic_params(values));
    });
    return result;
  }

  std::string description_;
  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<pqxx::transaction_base> transaction_;
};

}  // namespace

std::string redact_conninfo(const std::string& conninfo) {
  // key=value form: password=secret, password = 'se cret'; URI form: user:secret@host and
  // ?password=secret.
  static const std::regex keyword{R"(password\s*=\s*('([^'\\]|\\.)*'|[^\s&]+))", std::regex::icase};
  static const std::regex uri_userinfo{R"((postgres(ql)?://[^:/@\s]*):[^@\s]*@)",
                                       std::regex::icase};
  auto out = std::regex_replace(conninfo, keyword, "password=***");
  return std::regex_replace(out, uri_userinfo, "$1:***@");
}

std::unique_ptr<mapping::StateStore> open_postgres_store(const std::string& conninfo) {
  return std::make_unique<detail::SqlStore>(std::make_unique<PostgresSession>(conninfo));
}

}  // namespace rosterd::adapters::store
