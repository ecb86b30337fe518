#include "store/authorization_code_repository.h"

namespace gatehouse::store {

void AuthorizationCodeRepository::Insert(const AuthorizationCodeRecord& code) {
  db_.Run([&code](Connection& c) { Insert(c, code); });
}

void AuthorizationCodeRepository::Insert(Connection& c, const AuthorizationCodeRecord& code) {
  c.Execute(
      "INSERT INTO authorization_codes (code_hash, grant_id, client_id, redirect_uri, "
      "redirect_uri_sent, code_challenge, nonce, auth_time, expires_at, used_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {code.code_hash, code.grant_id, code.client_id, code.redirect_uri,
       int64_t{code.redirect_uri_sent ? 1 : 0}, Nullable(code.code_challenge), Nullable(code.nonce),
       code.auth_time, code.expires_at, Nullable(code.used_at)});
}

std::optional<AuthorizationCodeRecord> AuthorizationCodeRepository::Get(
    std::string_view code_hash) {
  std::optional<AuthorizationCodeRecord> code;
  db_.Run([&](Connection& c) {
    Rows rows = c.Query(
        "SELECT code_hash, grant_id, client_id, redirect_uri, redirect_uri_sent, code_challenge, "
        "nonce, auth_time, expires_at, used_at FROM authorization_codes WHERE code_hash = ?",
        {std::string(code_hash)});
    if (rows.empty()) return;
    const Row& r = rows[0];
    code = AuthorizationCodeRecord{
        .code_hash = r.Text(0),
        .grant_id = r.Text(1),
        .client_id = r.Text(2),
        .redirect_uri = r.Text(3),
        .redirect_uri_sent = r.Bool(4),
        .code_challenge = r.OptionalText(5),
        .nonce = r.OptionalText(6),
        .auth_time = r.Int(7),
        .expires_at = r.Int(8),
        .used_at = r.OptionalInt(9),
    };
  });
  return code;
}

bool AuthorizationCodeRepository::MarkUsed(std::string_view code_hash, int64_t now) {
  int64_t changed = 0;
  db_.Run([&](Connection& c) {
    changed = c.Execute(
        "UPDATE authorization_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL",
        {now, std::string(code_hash)});
  });
  return changed == 1;
}

int64_t AuthorizationCodeRepository::DeleteExpired(int64_t now) {
  int64_t deleted = 0;
  db_.Run([&](Connection& c) {
    deleted = c.Execute("DELETE FROM authorization_codes WHERE expires_at < ?", {now});
  });
  return deleted;
}

}  // namespace gatehouse::store
