// The records a data export is made of (export/): one month's records of one
// dataset for a set of practices, on the latest or the approved basis, or as
// a published version used them. Read-only: each call is one consistent
// reading of the store (store/server_store.h).
//
// Failures throw tributary::Error (the store's; kCorruption for a stored
// record that cannot be read back). Thread-safe as the store is; holds only
// a reference to the store, which must outlive it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "orgs/organisation.h"
#include "periods/published_versions.h"
#include "tributary/common/dataset.h"

namespace tributary::server {

class ServerStore;

// Records' fields by practice, each practice's in key order.
using PracticeRecords = std::map<std::string, std::vector<FieldMap>>;

// What a published version used of one dataset, with its hierarchy.
struct PublishedRecords {
  PublishedVersion version;
  std::vector<Organisation> organisations;
  PracticeRecords records;  // the lineage's practices with returns of the dataset
};

class ExportRecords {
 public:
  explicit ExportRecords(ServerStore& store) : store_(store) {}

  // One month's records of `dataset` for each of `practices` (a practice
  // without any maps to an empty list): as held now, or with
  // `approved_only` as each approved or locked return was approved (other
  // returns give none).
  PracticeRecords Month(const std::string& period, const std::string& dataset,
                        const std::vector<std::string>& practices, bool approved_only);
  // The records of `dataset` a published version of the ICS's month used
  // (its newest when `version` is nullopt), with the version's hierarchy;
  // nullopt when there is no such version.
  std::optional<PublishedRecords> Published(const std::string& ics, const std::string& period,
                                            std::optional<std::int64_t> version,
                                            const std::string& dataset);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
