// The interactive API page: reads /openapi.json from this server and builds one
// accessible form per operation. No framework, nothing from other sites.
"use strict";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value; else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function example(schema, components, depth) {
  if (!schema || depth > 4) return null;
  if (schema.$ref) return example(components[schema.$ref.split("/").pop()], components, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return example(schema.anyOf[0], components, depth + 1);
  if (schema.type === "object") {
    const out = {};
    for (const name of schema.required || []) {
      out[name] = example((schema.properties || {})[name], components, depth + 1);
    }
    return out;
  }
  if (schema.type === "array") return [];
  if (schema.format === "date") return "2022-03-01";
  if (schema.type === "string") return "";
  if (schema.type === "integer" || schema.type === "number") return 0;
  if (schema.type === "boolean") return false;
  return null;
}

// Paths are resolved against the page's own folder, so the API works mounted anywhere.
const BASE = new URL(".", window.location.href);

async function send(op, form, output) {
  let url = op.path.replace(/^\//, "");
  const query = new URLSearchParams();
  for (const param of op.params) {
    const value = form.elements[param.id].value;
    if (param.in === "path") url = url.replace(`{${param.name}}`, encodeURIComponent(value));
    else if (value) query.set(param.name, value);
  }
  if ([...query].length) url += `?${query}`;
  const headers = { "Accept": "application/json" };
  const token = document.getElementById("token").value.trim();
  if (token) headers["Authorization"] = `Bearer ${token}`;
  const init = { method: op.method.toUpperCase(), headers };
  if (op.hasBody) {
    headers["Content-Type"] = "application/json";
    init.body = form.elements[`${op.id}-body`].value;
  }
  output.textContent = "Sending…";
  try {
    const response = await fetch(new URL(url, BASE), init);
    const text = await response.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
    output.className = response.ok ? "out" : "out status-error";
    output.textContent = `${response.status} ${response.statusText}\n\n${shown}`;
  } catch (error) {
    output.className = "out status-error";
    output.textContent = `The request failed: ${error}`;
  }
}

function operation(path, method, spec, components) {
  const id = spec.operationId;
  const params = (spec.parameters || []).map((p) => ({ ...p, id: `${id}-${p.name}` }));
  const body = spec.requestBody && spec.requestBody.content["application/json"];
  const op = { id, path, method, params, hasBody: Boolean(body) };
  const form = el("form", { "aria-label": `Try ${method.toUpperCase()} ${path}` });
  for (const param of params) {
    form.append(el("div", { class: "field" },
      el("label", { for: param.id, text: `${param.name} (${param.in}${param.required ? ", required" : ""})` }),
      el("input", { id: param.id, name: param.id, type: "text" })));
  }
  if (body) {
    const area = el("textarea", { id: `${id}-body`, name: `${id}-body`, spellcheck: "false" });
    area.value = JSON.stringify(example(body.schema, components, 0), null, 2);
    form.append(el("div", { class: "field" },
      el("label", { for: `${id}-body`, text: "Body (JSON)" }), area));
  }
  const output = el("pre", { class: "out", "aria-live": "polite", id: `${id}-out` });
  form.append(el("button", { type: "submit", text: "Send" }));
  form.addEventListener("submit", (event) => { event.preventDefault(); send(op, form, output); });
  return el("details", { class: "op", id: `op-${id}` },
    el("summary", {},
      el("span", { class: `method ${method}`, text: method.toUpperCase() }),
      el("span", { class: "path", text: path }),
      el("span", { text: spec.summary || "" })),
    el("div", { class: "op-body" },
      el("p", { class: "roles", text: spec.description || "No sign-in needed." }),
      form, el("p", { text: "Answer:" }), output));
}

async function main() {
  const target = document.getElementById("main");
  const loading = document.getElementById("loading");
  const spec = await (await fetch(new URL("openapi.json", BASE))).json();
  const components = (spec.components || {}).schemas || {};
  const byTag = new Map();
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, item] of Object.entries(methods)) {
      const tag = (item.tags || ["other"])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operation(path, method, item, components));
    }
  }
  const toc = document.getElementById("toc");
  for (const [tag, items] of byTag) {
    const anchor = `tag-${tag.replace(/\W+/g, "-")}`;
    toc.append(el("li", {}, el("a", { href: `#${anchor}`, text: tag })));
    target.append(el("section", { "aria-labelledby": anchor },
      el("h2", { id: anchor, text: tag }), ...items));
  }
  loading.textContent = `${spec.info.title} ${spec.info.version}: ${Object.keys(spec.paths).length} paths.`;
}

main();
