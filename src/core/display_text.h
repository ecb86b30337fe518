#pragma once
// Display text: strings Gatehouse puts in front of people as written — client names and
// descriptions (consent and login pages, the account page, the headless API's client view),
// scope and other descriptions of the RBAC policy, organization names, user names. Such text must
// not be able to disguise what it says, so CheckDisplayText refuses:
//   - anything that is not well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
//     above U+10FFFF, no truncated sequence);
//   - bidirectional controls, which reorder what follows them ("Invoice<U+202E>gnp.exe" shows
//     as "Invoiceexe.png"): U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069;
//   - control characters, every one of them (a name or description is one line): C0
//     U+0000..U+001F, DEL U+007F, C1 U+0080..U+009F;
//   - zero-width characters, which make two different strings look alike: U+200B..U+200D,
//     U+2060, U+FEFF.
// Every other character is allowed, so "Café Ünïcode 日本" is fine. The rule is the same for
// every surface; the validation of each model calls it for its display fields (core/rbac_policy,
// accounts/client_registry, accounts/m2m_clients, accounts/user_accounts, the organizations API,
// oauth/registration_metadata, oauth/cimd/metadata_document).
//
// Failure: kBadRequest whose description names the field and the refused code point (never the
// text itself), in printable ASCII so it may go into an OAuth error_description. Callers on an
// OAuth surface re-label the code (invalid_client_metadata). Pure; thread-safe.

#include <string_view>

#include "core/result.h"

namespace gatehouse::core {

Result<void> CheckDisplayText(std::string_view field, std::string_view value);

}  // namespace gatehouse::core
