// `submit --period YYYY-MM [--dataset D]`: the practice says its return for
// the month is complete. The submission joins the outbox behind every change
// made before it, so the server marks the return submitted only once it holds
// all of that data. Works offline; `sync` delivers it.
#include <cstdio>
#include <ctime>

#include "cli/agent_commands.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

std::string NowIso() { return FormatUtc(SystemClock().NowMillis()); }

}  // namespace

int RunSubmit(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "period", "dataset"});
  std::string practice = context.RequirePractice();
  std::string period_text = args.Require("period");
  auto period = ParsePeriod(period_text);
  if (!period) throw Error::InvalidArgument("--period must be YYYY-MM, not '" + period_text + "'");

  std::vector<const DatasetDecl*> wanted;
  if (auto name = args.Get("dataset")) {
    const DatasetDecl* d = datasets::Find(*name);
    if (d == nullptr || d == &datasets::Submission()) {
      throw Error::InvalidArgument("--dataset must be workforce, appointments or list_size");
    }
    wanted.push_back(d);
  } else {
    wanted = datasets::All();
  }
  std::map<std::string, std::int64_t> held;
  for (const auto& c : context.store().RecordCounts()) {
    if (c.period == period->ToString()) held[c.dataset] = c.records;
  }
  std::string submitted_at = NowIso();
  int submitted = 0;
  for (const DatasetDecl* d : wanted) {
    std::string name(d->name);
    if (held[name] == 0) {
      // An empty return is almost always a forgotten import, not a fact.
      std::fprintf(stderr, "%s %s: no records held; import them first (not submitted)\n",
                   name.c_str(), period->ToString().c_str());
      continue;
    }
    context.store().UpsertRecord(datasets::Submission(),
                                 {{"practice", practice},
                                  {"dataset", name},
                                  {"period", period->ToString()},
                                  {"submitted_at", submitted_at}},
                                 nullptr);
    std::printf("%s %s: submitted (%lld records); sync to send it\n", name.c_str(),
                period->ToString().c_str(), static_cast<long long>(held[name]));
    ++submitted;
  }
  if (submitted == 0) {
    throw Error::InvalidInput("nothing submitted for " + period->ToString());
  }
  return kExitOk;
}

}  // namespace tributary::agent
