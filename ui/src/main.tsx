// The entry: index.html has already laid out the shell (its aside and header, from inline styles). The
// app itself (React, TDesign and its stylesheet, the first page: most of the first script) is loaded
// once that shell is on screen, so the window shows it at once instead of after the whole script has
// been fetched, parsed and run: the second animation frame comes after the first one was painted
// (importing sooner, the parse held the first paint back). A window that never draws a frame (hidden)
// does not hold the app back for more than a second.
let started = false;
const start = () => {
  if (started) return;
  started = true;
  import("./start").catch((e: unknown) => {
    // The shell would otherwise stay on screen with nothing to say why.
    console.error(e);
    const root = document.getElementById("root");
    if (root) root.textContent = `LiveHook could not load its interface: ${String(e)}. Reinstalling it may help.`;
  });
};
requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(start, 0)));
setTimeout(start, 1000);
