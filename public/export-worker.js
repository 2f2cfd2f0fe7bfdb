// The Export view's worker (src/bin/export_worker.rs): loads its wasm once, then answers
// each message with the export text. The handler is set before the wasm has loaded, so a
// message sent meanwhile waits for it rather than being lost.
importScripts("export_worker.js");
const ready = wasm_bindgen({ module_or_path: "export_worker_bg.wasm" });
onmessage = async (e) => {
  await ready;
  postMessage(wasm_bindgen.export_text(e.data));
};
