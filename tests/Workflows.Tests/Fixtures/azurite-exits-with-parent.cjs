// Preloaded into each Azurite the tests start (node --require): its standard input is a pipe from the test process, which
// closes however that process ends (a test run that is killed, a testhost that never runs its exit handlers). Then this
// Azurite stops as Ctrl+C would stop it, instead of living on with nobody to stop it.
const stop = () => process.kill(process.pid, "SIGINT");
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
// Azurite ends on SIGINT by closing its server and letting the event loop drain (it never calls process.exit): a
// referenced stdin would keep that loop, and the process, alive for good, and a test's StopAsync would wait forever.
process.stdin.unref();
