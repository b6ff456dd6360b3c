// The entry: index.html has already painted the shell (its aside and header, from inline styles). The
// app itself (React, TDesign and its stylesheet, the first page: most of the first script) is loaded
// after that paint, so the window shows the shell at once instead of after the whole script has been
// fetched, parsed and run. A frame that never comes (a hidden window) does not hold the app back.
let started = false;
const start = () => {
  if (started) return;
  started = true;
  void import("./start");
};
requestAnimationFrame(() => setTimeout(start, 0));
setTimeout(start, 100);
