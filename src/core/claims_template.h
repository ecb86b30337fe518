#pragma once
// Custom claims templates: a connected app's access_token_template_content (or
// id_token_template_content), a JSON object whose members are added to the access (or ID) tokens
// issued to it; the project's templates for dynamically registered clients follow the same rules.
// String values may name values of the token's subject with placeholders:
//   {{ user.user_id }}  {{ user.email }}  {{ user.roles }}  {{ organization.organization_slug }}
//   {{ client.client_id }}  {{ client.trusted_metadata.team }}   (dotted paths into the context)
// A string that is exactly one placeholder takes the value with its JSON type (an array of roles
// stays an array); placeholders inside longer text are replaced by the value's text (strings as
// they are, other values as JSON). A path that names nothing renders as null (sole placeholder) or
// "" (inside text). Rendering descends into nested objects and arrays.
//
// Rules (ParseClaimsTemplate, kBadRequest with a message naming the problem):
//  - at most kMaxClaimsTemplateBytes, a JSON object;
//  - no top-level member may be a reserved claim (IsReservedClaim: the JWT, OAuth and OpenID
//    Connect claims Gatehouse sets itself — iss sub aud exp nbf iat jti client_id scope gh_grant
//    organization organization_id, and for ID tokens nonce at_hash c_hash s_hash auth_time azp sid
//    acr amr — plus cnf act may_act typ); reserved claims are also never overridden when merging
//    (MergeClaims);
//  - placeholders are closed ("{{" without "}}" is refused) and their path starts with user.,
//    organization. or client.
//
// Pure functions; thread-safe.

#include <cstddef>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/result.h"

namespace gatehouse::core {

inline constexpr size_t kMaxClaimsTemplateBytes = 4096;

bool IsReservedClaim(std::string_view name);

Result<boost::json::object> ParseClaimsTemplate(std::string_view text);

// Renders `template_object` against `context` ({"user": {...}, "organization": {...},
// "client": {...}}; missing roots render as missing values).
boost::json::object RenderClaimsTemplate(const boost::json::object& template_object,
                                         const boost::json::object& context);

// Adds the members of `rendered` to `claims`, skipping reserved names and names `claims` already
// holds: a template never overrides what Gatehouse put in the token.
void MergeClaims(boost::json::object& claims, const boost::json::object& rendered);

}  // namespace gatehouse::core
