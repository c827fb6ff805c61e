// A stand-in for www/worker.js that starts but never answers a solve: a path that takes long
// (the browser test of what the page shows before its first fit).
self.postMessage({ type: 'ready', version: 'silent' });
self.onmessage = () => {};
