// A solver worker that fails as it starts (served in place of www/worker.js by a browser test):
// the page must say so, also when the failure came before the page's modules were listening.
throw new Error('this worker fails on purpose');
