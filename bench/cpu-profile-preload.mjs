// Preloaded into a server (`node --import ./bench/cpu-profile-preload.mjs …`): SIGUSR2 starts V8's sampling
// profiler, the next SIGUSR2 stops it and writes CPU_PROFILE_DIR/<pid>-<time>.cpuprofile. Only the
// window between the two signals is profiled (not start-up, not idle time before the load).
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.CPU_PROFILE_DIR || ".";
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 200 });
let running = false;
process.on("SIGUSR2", () => {
  if (!running) {
    running = true;
    session.post("Profiler.start");
    return;
  }
  running = false;
  session.post("Profiler.stop", (error, result) => {
    if (error) return console.error("cpu profile:", error);
    fs.writeFileSync(path.join(dir, `${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(result.profile));
  });
});
