#include "child_process.h"

#include <signal.h>

#include <catch2/catch.hpp>

using namespace tributary::testing;

TEST_CASE("run: captures exit status, stdout and stderr") {
  RunResult r = Run({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  CHECK(r.exit_code == 3);
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");
}

TEST_CASE("run: large output on both streams does not deadlock") {
  RunResult r = Run({"/bin/sh", "-c", "head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.size() == 1048576);
  CHECK(r.err.size() == 1048576);
}

TEST_CASE("run: a process past its timeout is killed and reported") {
  CHECK_THROWS(Run({"/bin/sleep", "30"}, std::chrono::seconds(1)));
}

TEST_CASE("child: waits for a line on stdout") {
  ChildProcess child(
      {"/bin/sh", "-c", "echo starting; echo listening on 127.0.0.1:5; exec sleep 30"});
  CHECK(child.WaitForLine("listening on ") == "listening on 127.0.0.1:5");
  CHECK(child.Running());
}

TEST_CASE("child: a process that exits before the line is an error") {
  ChildProcess child({"/bin/sh", "-c", "echo nothing useful"});
  CHECK_THROWS(child.WaitForLine("listening on ", std::chrono::seconds(10)));
}

TEST_CASE("child: killed and reaped when the object dies") {
  pid_t pid = 0;
  {
    ChildProcess child({"/bin/sleep", "1000"});
    pid = child.pid();
    CHECK(::kill(pid, 0) == 0);
  }
  CHECK(::kill(pid, 0) == -1);
}

TEST_CASE("child: Wait reports the signal that ended it") {
  ChildProcess child({"/bin/sleep", "1000"});
  child.Signal(SIGKILL);
  CHECK(child.Wait() == -SIGKILL);
  CHECK_FALSE(child.Running());
}
