#include "crypto/algorithm.h"

namespace gatehouse::crypto {

std::string_view AlgorithmName(Algorithm alg) {
  switch (alg) {
    case Algorithm::kRs256:
      return "RS256";
    case Algorithm::kEs256:
      return "ES256";
    case Algorithm::kEdDsa:
      return "EdDSA";
  }
  return "";
}

std::optional<Algorithm> ParseAlgorithm(std::string_view name) {
  if (name == "RS256") return Algorithm::kRs256;
  if (name == "ES256") return Algorithm::kEs256;
  if (name == "EdDSA") return Algorithm::kEdDsa;
  return std::nullopt;
}

}  // namespace gatehouse::crypto
