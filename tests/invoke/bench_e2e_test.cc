// End to end: `mock_invoker bench` against the reference runtime (JSON
// structure and counts, never speed), and the load generator's keep-alive
// and failure counting against real servers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "conformance/invoke/load_generator.h"
#include "conformance/platform/free_port.h"
#include "tests/e2e/e2e_support.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kRuntime = REFERENCE_RUNTIME_BIN;
const std::string kLaunch = kRuntime + " --host 127.0.0.1 --port {port} --action-dir {dir}";

std::string describe(const e2e::ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout\n" + r.out + "\n--- stderr\n" +
         r.err;
}

e2e::ProcessResult bench(std::vector<std::string> args) {
  args.insert(args.begin(), {MOCK_INVOKER_BIN, "bench"});
  return e2e::run_process(args, 120s);
}

TEST(BenchE2E, RequestsAndColdStartsReportedAsJson) {
  e2e::TempDir tmp;
  e2e::write_file(tmp.file("triv.sh"), "#!/bin/sh\necho '{\"ok\":true}'\n");
  auto r = bench({tmp.file("triv.sh"), "--launch", kLaunch, "--requests", "20", "--concurrency",
                  "4", "--cold-starts", "2", "--json", tmp.file("bench.json")});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("warm /run: 20 ok, 0 failed"), std::string::npos) << r.out;
  json report = json::parse(e2e::read_file(tmp.file("bench.json")), nullptr, false);
  ASSERT_TRUE(report.is_object()) << e2e::read_file(tmp.file("bench.json"));
  EXPECT_EQ(report["action"], "triv");
  EXPECT_EQ(report["concurrency"], 4);
  const json& warm = report["warm"];
  EXPECT_EQ(warm["requests"], 20);
  EXPECT_EQ(warm["ok"], 20);
  EXPECT_EQ(warm["failed"], 0);
  EXPECT_EQ(warm["failures"], json::object());
  EXPECT_EQ(warm["connections_opened"], 4);  // keep-alive: one per handle
  EXPECT_GT(warm["throughput_rps"].get<double>(), 0);
  const json& latency = warm["latency_ms"];
  EXPECT_EQ(latency["count"], 20);
  EXPECT_LE(latency["min"].get<double>(), latency["p50"].get<double>());
  EXPECT_LE(latency["p50"].get<double>(), latency["p90"].get<double>());
  EXPECT_LE(latency["p90"].get<double>(), latency["p99"].get<double>());
  EXPECT_LE(latency["p99"].get<double>(), latency["max"].get<double>());
  const json& cold = report["cold_starts"];
  EXPECT_EQ(cold["count"], 2);
  EXPECT_EQ(cold["failed"], 0);
  for (const char* k : {"launch_to_ready_ms", "init_ms", "first_run_ms"}) {
    EXPECT_EQ(cold[k]["count"], 2) << k;
    EXPECT_GT(cold[k]["max"].get<double>(), 0) << k;
  }
}

TEST(BenchE2E, BrokenActionAndUsageErrors) {
  e2e::TempDir tmp;
  e2e::write_file(tmp.file("bad.sh"), "#!/bin/sh\necho 'not json'\n");
  auto r = bench({tmp.file("bad.sh"), "--launch", kLaunch, "--requests", "5"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_NE(r.err.find("first activation did not succeed"), std::string::npos) << r.err;
  EXPECT_EQ(
      bench({tmp.file("bad.sh"), "--url", "http://127.0.0.1:1", "--cold-starts", "1"}).exit_code,
      2);
  EXPECT_EQ(bench({tmp.file("bad.sh"), "--launch", kLaunch, "--requests", "1", "--duration", "1"})
                .exit_code,
            2);
  EXPECT_EQ(bench({tmp.file("bad.sh"), "--launch", kLaunch, "--concurrency", "0"}).exit_code, 2);
  EXPECT_EQ(bench({tmp.file("bad.sh"), "--launch", "false {port}", "--requests", "1"}).exit_code,
            3);
}

class HostileServer {
 public:
  explicit HostileServer(const std::string& mode) {
    EXPECT_TRUE(conformance::pick_free_port(&port_).ok());
    process_ = std::make_unique<e2e::BackgroundProcess>(
        std::vector<std::string>{HOSTILE_RUNTIME_BIN, "--host", "127.0.0.1", "--port",
                                 std::to_string(port_), "--mode", mode});
    EXPECT_TRUE(
        conformance::wait_until_accepting("127.0.0.1", port_, 10000ms, [] { return ""; }).ok());
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/run"; }

 private:
  unsigned short port_ = 0;
  std::unique_ptr<e2e::BackgroundProcess> process_;
};

TEST(LoadGenerator, CountsRequestsAndConnections) {
  HostileServer server("ok");  // closes after each answer: no keep-alive possible
  conformance::LoadOptions o;
  o.url = server.url();
  o.body = "{}";
  o.concurrency = 2;
  o.total_requests = 10;
  o.request_timeout = 10000ms;
  conformance::LoadResult r;
  ASSERT_TRUE(conformance::run_load(o, &r).ok());
  EXPECT_EQ(r.completed, 10u);
  EXPECT_EQ(r.failed, 0u);
  EXPECT_EQ(r.latencies_ms.size(), 10u);
  EXPECT_EQ(r.connections_opened, 10u);
}

TEST(LoadGenerator, FailuresCountedByKind) {
  HostileServer server("empty-reply");
  conformance::LoadOptions o;
  o.url = server.url();
  o.concurrency = 3;
  o.total_requests = 6;
  o.request_timeout = 10000ms;
  conformance::LoadResult r;
  ASSERT_TRUE(conformance::run_load(o, &r).ok());
  EXPECT_EQ(r.completed, 0u);
  EXPECT_EQ(r.failed, 6u);
  EXPECT_EQ(r.failures, (std::map<std::string, std::size_t>{{"connection_lost", 6}}));
  EXPECT_TRUE(r.latencies_ms.empty());

  unsigned short port = 0;
  ASSERT_TRUE(conformance::pick_free_port(&port).ok());
  o.url = "http://127.0.0.1:" + std::to_string(port) + "/run";  // nobody listens
  ASSERT_TRUE(conformance::run_load(o, &r).ok());
  EXPECT_EQ(r.failures, (std::map<std::string, std::size_t>{{"refused", 6}}));
}

TEST(LoadGenerator, NonOkStatusesCountedByStatus) {
  e2e::TempDir tmp;
  unsigned short port = 0;
  ASSERT_TRUE(conformance::pick_free_port(&port).ok());
  e2e::BackgroundProcess runtime({kRuntime, "--host", "127.0.0.1", "--port", std::to_string(port),
                                  "--action-dir", tmp.file("action")});
  ASSERT_TRUE(
      conformance::wait_until_accepting("127.0.0.1", port, 10000ms, [] { return ""; }).ok());
  conformance::LoadOptions o;
  o.url = "http://127.0.0.1:" + std::to_string(port) + "/run";
  o.body = R"({"value": 5})";  // not a dictionary: 404 (C3.2)
  o.concurrency = 2;
  o.total_requests = 4;
  conformance::LoadResult r;
  ASSERT_TRUE(conformance::run_load(o, &r).ok());
  EXPECT_EQ(r.failures, (std::map<std::string, std::size_t>{{"http_404", 4}}));
  EXPECT_EQ(r.connections_opened, 2u);
}

}  // namespace
