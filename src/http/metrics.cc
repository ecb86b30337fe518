#include "http/metrics.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "core/mutex.h"

namespace gatehouse::http {
namespace {

constexpr std::array<double, 13> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                    0.1,    0.25,  0.5,    1.0,   2.5,  5.0};
// The `le` labels as Prometheus clients conventionally write them (no exponent notation).
constexpr std::array<std::string_view, kLatencyBuckets.size()> kLatencyBucketLabels = {
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
    "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5"};
constexpr std::string_view kOverflowRoute = "other";
constexpr std::array<std::string_view, 7> kMethods = {"GET",   "HEAD",   "POST",   "PUT",
                                                      "PATCH", "DELETE", "OPTIONS"};

std::string_view FoldMethod(std::string_view method) {
  for (std::string_view known : kMethods) {
    if (method == known) return known;
  }
  return "OTHER";
}

uint64_t Fnv1a(std::string_view text, uint64_t hash = 14695981039346656037ull) {
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

struct CounterSeries {
  std::string route;
  std::string_view method;  // one of kMethods or "OTHER"
  int status;
  std::atomic<uint64_t> value{0};

  bool Is(std::string_view r, std::string_view m, int s) const {
    return status == s && method == m && route == r;
  }
};

struct HistogramSeries {
  std::string route;
  std::array<std::atomic<uint64_t>, kLatencyBuckets.size() + 1> buckets{};  // last: +Inf
  std::atomic<uint64_t> count{0};
  std::atomic<uint64_t> sum_ns{0};

  bool Is(std::string_view r) const { return route == r; }
};

// An open-addressing table whose lookups are lock-free: slots only ever go from null to a series
// that lives as long as the table, published with release and read with acquire.
template <class Series>
class SeriesTable {
 public:
  static constexpr size_t kSlots = 8192;
  static constexpr size_t kMaxSeries = kSlots / 2;

  template <class... Key>
  Series* Find(uint64_t hash, const Key&... key) const {
    for (size_t i = 0, slot = hash & (kSlots - 1); i < kSlots;
         ++i, slot = (slot + 1) & (kSlots - 1)) {
      Series* series = slots_[slot].load(std::memory_order_acquire);
      if (series == nullptr) return nullptr;
      if (series->Is(key...)) return series;
    }
    return nullptr;
  }

  // Finds or creates; when full, answers the series `make_overflow` names instead.
  template <class Make, class... Key>
  Series& Get(uint64_t hash, Make make, const Key&... key) {
    if (Series* found = Find(hash, key...)) return *found;
    core::MutexLock lock(mu_);
    if (Series* found = Find(hash, key...)) return *found;
    if (owned_.size() >= kMaxSeries) return *overflow_;
    owned_.push_back(make());
    Series* created = owned_.back().get();
    size_t slot = hash & (kSlots - 1);
    while (slots_[slot].load(std::memory_order_relaxed) != nullptr)
      slot = (slot + 1) & (kSlots - 1);
    slots_[slot].store(created, std::memory_order_release);
    return *created;
  }

  void SetOverflow(std::unique_ptr<Series> overflow) { overflow_ = std::move(overflow); }

  // Every series, for rendering. Series outlive the table's mutex scope: the pointers stay valid.
  std::vector<const Series*> Snapshot() const {
    core::MutexLock lock(mu_);
    std::vector<const Series*> all;
    all.reserve(owned_.size() + 1);
    for (const auto& s : owned_) all.push_back(s.get());
    if (overflow_) all.push_back(overflow_.get());
    return all;
  }

 private:
  std::array<std::atomic<Series*>, kSlots> slots_{};
  mutable core::Mutex mu_;
  std::vector<std::unique_ptr<Series>> owned_ GUARDED_BY(mu_);
  std::unique_ptr<Series> overflow_;  // set once at construction
};

void AppendNumber(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    out.append(buffer, result.ptr);
  }
}

void AppendNumber(std::string& out, uint64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

void AppendLabelValue(std::string& out, std::string_view value) {
  out.push_back('"');
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void AppendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out += "# HELP ";
  out += name;
  out.push_back(' ');
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  out += "\n# TYPE ";
  out += name;
  out.push_back(' ');
  out += type;
  out.push_back('\n');
}

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

struct Gauge {
  std::string name;
  std::string help;
  std::string_view type;  // "gauge" or "counter"
  std::function<double()> read;
};

}  // namespace

struct Metrics::State {
  SeriesTable<CounterSeries> counters;
  SeriesTable<HistogramSeries> histograms;
  mutable core::Mutex gauges_mu;
  std::vector<Gauge> gauges GUARDED_BY(gauges_mu);
};

Metrics::Metrics() : state_(std::make_unique<State>()) {
  auto counter_overflow = std::make_unique<CounterSeries>();
  counter_overflow->route = std::string(kOverflowRoute);
  counter_overflow->method = "OTHER";
  counter_overflow->status = 0;
  state_->counters.SetOverflow(std::move(counter_overflow));
  auto histogram_overflow = std::make_unique<HistogramSeries>();
  histogram_overflow->route = std::string(kOverflowRoute);
  state_->histograms.SetOverflow(std::move(histogram_overflow));
}

Metrics::~Metrics() = default;

void Metrics::RecordRequest(std::string_view route, std::string_view method, int status,
                            std::chrono::nanoseconds duration) {
  method = FoldMethod(method);
  if (status < 100 || status > 599) status = 0;
  const uint64_t route_hash = Fnv1a(route);

  const uint64_t counter_hash =
      Fnv1a(method, route_hash) ^ (static_cast<uint64_t>(status) * 0x9E3779B97F4A7C15ull);
  CounterSeries& counter = state_->counters.Get(
      counter_hash,
      [&] {
        auto s = std::make_unique<CounterSeries>();
        s->route = std::string(route);
        s->method = method;
        s->status = status;
        return s;
      },
      route, method, status);
  counter.value.fetch_add(1, std::memory_order_relaxed);

  HistogramSeries& histogram = state_->histograms.Get(
      route_hash,
      [&] {
        auto s = std::make_unique<HistogramSeries>();
        s->route = std::string(route);
        return s;
      },
      route);
  const double seconds = std::chrono::duration<double>(duration).count();
  const size_t bucket = static_cast<size_t>(
      std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds) -
      kLatencyBuckets.begin());
  histogram.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  histogram.count.fetch_add(1, std::memory_order_relaxed);
  histogram.sum_ns.fetch_add(static_cast<uint64_t>(std::max<int64_t>(duration.count(), 0)),
                             std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  AddCallback(std::move(name), std::move(help), "gauge", std::move(read));
}

void Metrics::AddCounter(std::string name, std::string help, std::function<double()> read) {
  AddCallback(std::move(name), std::move(help), "counter", std::move(read));
}

void Metrics::AddCallback(std::string name, std::string help, std::string_view type,
                          std::function<double()> read) {
  if (!IsValidMetricName(name) || !read) {
    throw std::invalid_argument("invalid metric: " + name);
  }
  core::MutexLock lock(state_->gauges_mu);
  for (const auto& gauge : state_->gauges) {
    if (gauge.name == name) throw std::invalid_argument("metric registered twice: " + name);
  }
  state_->gauges.push_back({std::move(name), std::move(help), type, std::move(read)});
}

std::string Metrics::Render() const {
  std::string out;

  auto counters = state_->counters.Snapshot();
  std::sort(counters.begin(), counters.end(), [](const auto* a, const auto* b) {
    return std::tie(a->route, a->method, a->status) < std::tie(b->route, b->method, b->status);
  });
  constexpr std::string_view kRequests = "gatehouse_http_requests_total";
  AppendHeader(out, kRequests, "HTTP requests by route pattern, method and status.", "counter");
  for (const CounterSeries* s : counters) {
    const uint64_t value = s->value.load(std::memory_order_relaxed);
    if (value == 0) continue;  // the overflow series until it is needed
    out += kRequests;
    out += "{route=";
    AppendLabelValue(out, s->route);
    out += ",method=";
    AppendLabelValue(out, s->method);
    out += ",status=\"";
    AppendNumber(out, static_cast<uint64_t>(s->status));
    out += "\"} ";
    AppendNumber(out, value);
    out.push_back('\n');
  }

  auto histograms = state_->histograms.Snapshot();
  std::sort(histograms.begin(), histograms.end(),
            [](const auto* a, const auto* b) { return a->route < b->route; });
  constexpr std::string_view kDuration = "gatehouse_http_request_duration_seconds";
  AppendHeader(out, kDuration, "HTTP request latency by route pattern.", "histogram");
  for (const HistogramSeries* s : histograms) {
    const uint64_t count = s->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kLatencyBuckets.size(); ++i) {
      cumulative += s->buckets[i].load(std::memory_order_relaxed);
      out += kDuration;
      out += "_bucket{route=";
      AppendLabelValue(out, s->route);
      out += ",le=\"";
      out += i < kLatencyBuckets.size() ? kLatencyBucketLabels[i] : "+Inf";
      out += "\"} ";
      // Concurrent updates may land between the loads; never let the buckets exceed the count.
      AppendNumber(out, i < kLatencyBuckets.size() ? std::min(cumulative, count) : count);
      out.push_back('\n');
    }
    out += kDuration;
    out += "_sum{route=";
    AppendLabelValue(out, s->route);
    out += "} ";
    AppendNumber(out, static_cast<double>(s->sum_ns.load(std::memory_order_relaxed)) / 1e9);
    out += '\n';
    out += kDuration;
    out += "_count{route=";
    AppendLabelValue(out, s->route);
    out += "} ";
    AppendNumber(out, count);
    out.push_back('\n');
  }

  core::MutexLock lock(state_->gauges_mu);
  for (const auto& gauge : state_->gauges) {
    AppendHeader(out, gauge.name, gauge.help, gauge.type);
    out += gauge.name;
    out.push_back(' ');
    double value;
    try {
      value = gauge.read();
    } catch (const std::exception&) {
      value = std::nan("");  // a failing probe must not take the whole scrape down
    }
    AppendNumber(out, value);
    out.push_back('\n');
  }
  return out;
}

}  // namespace gatehouse::http
