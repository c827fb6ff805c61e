// The page's ES modules as one script: each module in its own function scope, in dependency
// order, its `import {…} from './x.js'` lines turned into reads of the imported module's object.
// It understands exactly the forms www/js uses (named imports of relative paths; `export` before
// a function, class, const or let; `export {…}`) and fails on anything else. Used by
// scripts/build-page.sh (the full lab's page script, www/dist/lab-page.js) and
// scripts/build-single.sh (the one-file lab).
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT = /^import\s*\{([^}]*)\}\s*from\s*'([^']+)';?[ \t]*$/gm;

/**
 * Bundles `entry` (a path under `www`, e.g. 'js/main.js') and what it imports.
 * `replace`: {path: source} used instead of a file's own source (the single file's env.js).
 * `external`: {path: specifier} kept as real imports (`import * as …` from the specifier) —
 * modules the page also loads by themselves, which must stay one instance.
 * `fail(message)` reports what the bundler does not understand (it should not return).
 */
export function bundleModules({ www, entry, replace = {}, external = {}, fail }) {
  const WWW = resolve(www);
  const modules = new Map(); // path → {deps, code, exports}
  const ids = new Map();
  const id = (path) => {
    if (!ids.has(path)) ids.set(path, `__m${ids.size}`);
    return ids.get(path);
  };
  const imports = new Map(); // external path → import line
  function load(path) {
    if (modules.has(path)) return;
    modules.set(path, null);
    let src = path in replace ? replace[path] : readFileSync(join(WWW, path), 'utf8');
    const deps = [];
    src = src.replace(IMPORT, (_, names, spec) => {
      if (!spec.startsWith('.')) fail(`${path}: bare import '${spec}'`);
      const dep = relative(WWW, resolve(WWW, dirname(path), spec));
      if (dep in external) imports.set(dep, `import * as ${id(dep)} from ${JSON.stringify(external[dep])};`);
      else deps.push(dep);
      const binds = names.split(',').map((n) => n.trim()).filter(Boolean).map((n) => n.replace(/\s+as\s+/, ': '));
      return `const { ${binds.join(', ')} } = ${id(dep)};`;
    });
    if (/^\s*import\b/m.test(src)) fail(`${path}: an import the bundler does not understand`);
    const exports = [];
    src = src.replace(/^export\s+((?:async\s+)?function\*?|class|const|let)\s+([A-Za-z_$][\w$]*)/gm, (_, kind, name) => { exports.push(name); return `${kind} ${name}`; });
    src = src.replace(/^export\s*\{([^}]*)\};?[ \t]*$/gm, (_, names) => { exports.push(...names.split(',').map((n) => n.trim()).filter(Boolean)); return ''; });
    if (/^export\b/m.test(src)) fail(`${path}: an export the bundler does not understand`);
    for (const d of deps) load(d);
    modules.set(path, { deps, code: src, exports });
  }
  load(entry);
  const order = [], seen = new Set();
  (function visit(p) {
    if (seen.has(p)) return;
    seen.add(p);
    for (const d of modules.get(p).deps) visit(d);
    order.push(p);
  })(entry);
  const body = order.map((p) => {
    const m = modules.get(p);
    return `// ---- ${p}\nconst ${id(p)} = (() => {\n${m.code}\nreturn { ${m.exports.join(', ')} };\n})();`;
  }).join('\n');
  return { code: [...imports.values(), body].join('\n'), modules: order };
}
