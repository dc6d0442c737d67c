// mockd dashboard: one plain script, no build step, no framework, nothing loaded from elsewhere.
// Every view is rendered from the admin API the page is served by. Text from the API is always inserted as
// text (never as HTML): request paths, headers and bodies come from whoever called the mock port.
"use strict";

(function () {
  const main = document.getElementById("main");
  const PAGE_SIZE = 50;
  // Live traffic: at most this many rows drawn per tick; past that the view samples and says so.
  const TICK_MS = 250;
  const ROWS_PER_TICK = 10;
  const MAX_ROWS = 200;
  const STREAM_PER_SECOND = ROWS_PER_TICK * (1000 / TICK_MS); // what the view can draw: 40 a second

  let cleanup = null; // the current page's teardown (closes the live stream)

  // ------------------------------------------------------------------------------------------ helpers

  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "class") el.className = value;
      else if (key === "value") el.value = value;
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : String(kid));
    }
    return el;
  }

  async function api(method, path, body) {
    const opts = { method, headers: {} };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = typeof body === "string" ? body : JSON.stringify(body);
    }
    const resp = await fetch(path, opts);
    const text = await resp.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch (_) { data = text; }
    }
    if (!resp.ok) {
      const msg = data && data.message ? data.message : `${resp.status} ${resp.statusText}`;
      throw new Error(msg);
    }
    return data;
  }

  const enc = encodeURIComponent;

  // Each route change starts a new generation. A page draws through the `show` it got from stage() when it
  // started, which does nothing once the user has moved on: a slow fetch never paints over the next page.
  let generation = 0;

  function stage() {
    const mine = generation;
    return (...nodes) => { if (mine === generation) main.replaceChildren(...nodes.flat()); };
  }

  function failure(err) {
    return h("p", { class: "error" }, String(err && err.message ? err.message : err));
  }

  function table(headers, rows, attrs) {
    return h("table", attrs || {},
      h("thead", {}, h("tr", {}, headers.map((t) => h("th", {}, t)))),
      h("tbody", {}, rows));
  }

  function card(label, value, id) {
    return h("div", { class: "card", id }, h("div", { class: "value" }, value), h("div", { class: "label" }, label));
  }

  function json(value) {
    return h("pre", {}, JSON.stringify(value, null, 2));
  }

  function time(ts) {
    return ts ? ts.replace("T", " ").replace(/\.\d+/, "").replace("Z", "") : "";
  }

  function mockPath(m) {
    const spec = m[m.type] || {};
    if (m.type === "http") {
      const mt = spec.matcher || {};
      return [(mt.method || "*"), mt.path || mt.pathPattern || ""].join(" ");
    }
    return spec.path || spec.issuer || (spec.port ? `:${spec.port}` : "");
  }

  // A near-miss reason reads "method and path matched, but header X-Team expected "blue", got ...": the
  // part after "but" is what failed, and its first words name the field.
  function highlightReason(reason) {
    const cut = reason.indexOf(", but ");
    const head = cut >= 0 ? reason.slice(0, cut + 6) : "";
    const failed = cut >= 0 ? reason.slice(cut + 6) : reason;
    const m = /^(header \S+|query parameter \S+|\S+)(.*)$/s.exec(failed);
    const inner = m ? [h("mark", { class: "field" }, m[1]), m[2]] : [failed];
    return [head, h("mark", { class: "failed" }, inner)];
  }

  function nearMisses(list) {
    if (!list || !list.length) return h("span", { class: "muted" }, "no near-misses");
    return h("div", { class: "near-misses" }, list.map((n) =>
      h("div", { class: "near", "data-mock": n.mockId },
        h("a", { href: `#/mocks/edit/${enc(n.mockId)}` }, n.mockName || n.mockId),
        ` (${n.matchPercentage}%): `, highlightReason(n.reason || ""))));
  }

  function matchCell(entry) {
    if (entry.matchedMockId) {
      return h("span", {}, h("span", { class: "badge hit" }, "matched"), " ",
        h("a", { href: `#/mocks/edit/${enc(entry.matchedMockId)}` }, entry.matchedMockId));
    }
    return h("div", {}, h("span", { class: "badge miss" }, "no match"), nearMisses(entry.nearMisses));
  }

  function pager(offset, count, total, go) {
    const first = total ? offset + 1 : 0;
    return h("div", { class: "pager" },
      h("button", { id: "prev-page", disabled: offset <= 0, onclick: () => go(Math.max(0, offset - PAGE_SIZE)) }, "Previous"),
      h("span", { id: "page-info" }, `${first}-${offset + count} of ${total}`),
      h("button", { id: "next-page", disabled: offset + count >= total, onclick: () => go(offset + PAGE_SIZE) }, "Next"));
  }

  // ------------------------------------------------------------------------------------------ mocks

  const mockQuery = { search: "", type: "", workspaceId: "", offset: 0 };

  function mocksQueryString(limit) {
    const q = new URLSearchParams({ limit: String(limit), offset: String(mockQuery.offset) });
    if (mockQuery.search) q.set("search", mockQuery.search);
    if (mockQuery.type) q.set("type", mockQuery.type);
    if (mockQuery.workspaceId) q.set("workspaceId", mockQuery.workspaceId);
    return q.toString();
  }

  function mockFilters(reload) {
    let timer = null;
    const later = () => { clearTimeout(timer); timer = setTimeout(() => { mockQuery.offset = 0; reload(); }, 250); };
    const types = ["", "http", "websocket", "graphql", "grpc", "soap", "mqtt", "oauth"];
    return h("div", { class: "toolbar" },
      h("input", { id: "mock-search", type: "search", placeholder: "Search name or path", value: mockQuery.search,
        oninput: (e) => { mockQuery.search = e.target.value; later(); } }),
      h("select", { id: "mock-type", onchange: (e) => { mockQuery.type = e.target.value; mockQuery.offset = 0; reload(); } },
        types.map((t) => h("option", { value: t, selected: t === mockQuery.type }, t || "all types"))),
      h("input", { id: "mock-workspace", placeholder: "Workspace id", value: mockQuery.workspaceId,
        oninput: (e) => { mockQuery.workspaceId = e.target.value; later(); } }));
  }

  // A list reload that lost a race (the search box changed again meanwhile) draws nothing.
  let listSeq = 0;

  async function fetchMockPage() {
    const seq = ++listSeq;
    let data = await api("GET", `/mocks?${mocksQueryString(PAGE_SIZE)}`);
    if (data.count === 0 && mockQuery.offset > 0 && seq === listSeq) { // the page emptied (deletes): go back
      mockQuery.offset = Math.max(0, Math.floor((data.total - 1) / PAGE_SIZE) * PAGE_SIZE);
      data = await api("GET", `/mocks?${mocksQueryString(PAGE_SIZE)}`);
    }
    return seq === listSeq ? data : null;
  }

  async function pageMocks() {
    const show = stage();
    const list = h("div", { id: "mock-list" });
    const reload = async () => {
      try {
        const data = await fetchMockPage();
        if (!data) return;
        const rows = data.mocks.map((m) => h("tr", { "data-id": m.id },
          h("td", {}, h("input", { type: "checkbox", class: "toggle", title: "enabled", checked: m.enabled !== false,
            onchange: async () => { await act(() => api("POST", `/mocks/${enc(m.id)}/toggle`)); reload(); } })),
          h("td", {}, h("a", { href: `#/mocks/edit/${enc(m.id)}` }, m.id)),
          h("td", {}, m.name || ""),
          h("td", {}, m.type),
          h("td", {}, mockPath(m)),
          h("td", {}, deleteButton(m.id, reload))));
        list.replaceChildren(
          table(["On", "Id", "Name", "Type", "Matches", ""], rows, { id: "mocks-table" }),
          pager(mockQuery.offset, data.count, data.total, (o) => { mockQuery.offset = o; reload(); }));
      } catch (err) {
        list.replaceChildren(failure(err));
      }
    };
    show(h("h2", {}, "Mocks"),
      h("div", { class: "toolbar" }, mockFilters(reload), h("a", { href: "#/mocks/new" }, h("button", { class: "primary" }, "New mock"))),
      list);
    await reload();
  }

  function deleteButton(id, after) {
    // Two clicks: the first arms the button, so a stray click deletes nothing.
    const btn = h("button", { class: "danger delete", onclick: async () => {
      if (btn.dataset.armed !== "1") { btn.dataset.armed = "1"; btn.textContent = "Confirm delete"; return; }
      await act(() => api("DELETE", `/mocks/${enc(id)}`));
      after();
    } }, "Delete");
    return btn;
  }

  async function act(fn) {
    try { return await fn(); } catch (err) { alertLine(err); return null; }
  }

  function alertLine(err) {
    const line = failure(err);
    line.id = "action-error";
    const old = document.getElementById("action-error");
    if (old) old.replaceWith(line); else main.prepend(line);
  }

  // The JSON Schema of a mock (GET /dashboard/mock-schema.json, from the server's own models): the editor
  // lists the keys a mock may have and warns about keys the server would silently ignore.
  let schemaCache = null;

  async function mockSchema() {
    if (!schemaCache) schemaCache = await api("GET", "/dashboard/mock-schema.json");
    return schemaCache;
  }

  function resolveSchema(schema, node) {
    for (let i = 0; node && i < 20; i++) {
      if (node.$ref) node = schema.$defs[node.$ref.split("/").pop()];
      else if (node.anyOf) node = node.anyOf.find((n) => n.$ref || n.properties) || null;
      else return node;
    }
    return node;
  }

  function unknownKeys(schema, node, value, path, out) {
    node = resolveSchema(schema, node);
    if (!node || typeof value !== "object" || value === null) return out;
    if (Array.isArray(value)) {
      if (node.items) value.forEach((v, i) => unknownKeys(schema, node.items, v, `${path}[${i}]`, out));
      return out;
    }
    if (!node.properties) return out; // an open object (headers, protocol parts kept verbatim)
    for (const [key, v] of Object.entries(value)) {
      const where = path ? `${path}.${key}` : key;
      if (!(key in node.properties)) out.push(where);
      else unknownKeys(schema, node.properties[key], v, where, out);
    }
    return out;
  }

  function schemaKeys(schema) {
    const rows = [];
    const add = (label, node) => {
      const n = resolveSchema(schema, node);
      if (n && n.properties) rows.push(h("div", { class: "schema-keys" }, h("code", {}, label), ": ", Object.keys(n.properties).join(", ")));
    };
    add("mock", schema);
    const http = resolveSchema(schema, schema.properties.http);
    if (http) {
      add("http", http);
      add("http.matcher", http.properties.matcher);
      add("http.response", http.properties.response);
    }
    return rows;
  }

  async function pageMockEdit(id) {
    const show = stage();
    const isNew = !id;
    let text = JSON.stringify({ id: "", name: "", type: "http",
      http: { matcher: { method: "GET", path: "/api/example" }, response: { statusCode: 200, body: "{}" } } }, null, 2);
    if (!isNew) {
      try { text = JSON.stringify(await api("GET", `/mocks/${enc(id)}`), null, 2); } catch (err) { show(failure(err)); return; }
    }
    const area = h("textarea", { id: "mock-json", spellcheck: "false" });
    area.value = text;
    const msg = h("p", { id: "save-result" });
    const warnings = h("p", { id: "schema-warnings", class: "notice", hidden: true });
    let schema = null;
    try { schema = await mockSchema(); } catch (_) { /* the editor works without it */ }
    const check = () => {
      if (!schema) return;
      let value;
      try { value = JSON.parse(area.value); } catch (_) { warnings.hidden = true; return; }
      const unknown = unknownKeys(schema, schema, value, "", []);
      warnings.hidden = unknown.length === 0;
      warnings.textContent = unknown.length ? `Not in the mock schema, so the server would ignore: ${unknown.join(", ")}` : "";
    };
    let timer = null;
    area.addEventListener("input", () => {
      msg.textContent = ""; // the last save's result no longer describes this text
      msg.className = "";
      clearTimeout(timer);
      timer = setTimeout(check, 200);
    });
    const save = async () => {
      try {
        const body = area.value;
        JSON.parse(body); // a syntax error is reported here, with the browser's position
        check();
        const out = isNew ? await api("POST", "/mocks", body) : await api("PUT", `/mocks/${enc(id)}`, body);
        msg.className = "";
        msg.textContent = out.message || "Saved";
        if (isNew && out.id) location.hash = `#/mocks/edit/${enc(out.id)}`;
      } catch (err) {
        msg.className = "error";
        msg.textContent = String(err.message || err);
      }
    };
    const extra = isNew ? [] : [
      h("a", { href: `#/verify/${enc(id)}` }, "Invocations"), " ",
    ];
    show(h("h2", {}, isNew ? "New mock" : `Mock ${id}`),
      h("p", { class: "muted" }, "The mock as the admin API stores it (docs/admin-api.md); saving validates it."),
      warnings,
      area,
      h("div", { class: "toolbar" }, h("button", { class: "primary", id: "save-mock", onclick: save }, "Save"), extra,
        h("a", { href: "#/mocks" }, "Back to mocks")),
      msg,
      schema ? h("details", { id: "schema-help" }, h("summary", {}, "Keys a mock may have (JSON Schema: /dashboard/mock-schema.json)"), schemaKeys(schema)) : null);
    check();
  }

  // ------------------------------------------------------------------------------------------ traffic

  function trafficRow(entry) {
    return h("tr", { class: "clickable", "data-id": entry.id, onclick: (e) => {
      if (e.target.closest("a")) return;
      location.hash = `#/requests/${enc(entry.id)}`;
    } },
      h("td", {}, time(entry.timestamp)),
      h("td", {}, entry.method),
      h("td", {}, entry.path + (entry.queryString ? `?${entry.queryString}` : "")),
      h("td", {}, entry.statusCode),
      h("td", {}, matchCell(entry)));
  }

  async function pageTraffic() {
    const show = stage();
    const body = h("tbody", { id: "traffic-rows" });
    const status = h("span", { id: "stream-status", class: "muted" }, "connecting…");
    const notice = h("div", { id: "sampling", class: "notice", hidden: true });
    let paused = false;
    const pauseBtn = h("button", { id: "pause", onclick: () => { paused = !paused; pauseBtn.textContent = paused ? "Resume" : "Pause"; } }, "Pause");
    show(h("h2", {}, "Live traffic"),
      h("div", { class: "toolbar" }, status, pauseBtn,
        h("button", { id: "clear-rows", onclick: () => body.replaceChildren() }, "Clear view")),
      notice,
      h("table", { id: "traffic-table" },
        h("thead", {}, h("tr", {}, ["Time", "Method", "Path", "Status", "Match"].map((t) => h("th", {}, t)))), body));

    // The stream is opened first and the recent entries are read once it is connected, so nothing recorded
    // in between is missed; an entry both in the stream and in the recent list is drawn once (by id).
    // Frames are kept as text and parsed only when drawn, so a flood costs the page little.
    const seen = new Set();
    let pending = [];
    let received = 0; // in the current second
    let drawn = 0;
    let dropped = 0;
    const draw = (entry, atTop) => {
      if (seen.has(entry.id)) return false;
      seen.add(entry.id);
      const row = trafficRow(entry);
      if (atTop) body.prepend(row); else body.append(row);
      return true;
    };
    // The server sends at most STREAM_PER_SECOND entries a second and counts the rest in `sampled` frames,
    // so a flood is neither formatted by the server nor parsed here.
    const source = new EventSource(`/requests/stream?maxPerSecond=${STREAM_PER_SECOND}`);
    let tick = null;
    let second = null;
    cleanup = () => { source.close(); clearInterval(tick); clearInterval(second); };
    source.addEventListener("connected", async () => {
      try {
        const recent = await api("GET", "/requests?limit=50");
        for (const e of recent.requests) draw(e, false);
        status.textContent = "live";
        status.className = "live";
      } catch (err) {
        status.textContent = String(err.message || err);
        status.className = "error";
      }
    });
    source.addEventListener("request", (ev) => { received++; if (!paused) pending.push(ev.data); });
    source.addEventListener("sampled", (ev) => { try { received += JSON.parse(ev.data).skipped; } catch (_) { /* ignore */ } });
    source.addEventListener("dropped", (ev) => { try { dropped += JSON.parse(ev.data).dropped; } catch (_) { /* ignore */ } });
    source.onerror = () => { status.textContent = "reconnecting…"; status.className = "muted"; };

    tick = setInterval(() => {
      if (!pending.length) return;
      // The server's sample arrives in a burst at the start of each second: draw it over the second, a
      // tick's share at a time, keeping at most a second's worth waiting (the newest).
      if (pending.length > STREAM_PER_SECOND) pending = pending.slice(-STREAM_PER_SECOND);
      const batch = pending.splice(0, ROWS_PER_TICK);
      for (const raw of batch) {
        try { draw(JSON.parse(raw), true); drawn++; } catch (_) { /* a frame we cannot read */ }
      }
      while (body.childElementCount > MAX_ROWS) {
        seen.delete(body.lastElementChild.dataset.id);
        body.lastElementChild.remove();
      }
    }, TICK_MS);
    second = setInterval(() => {
      if (received > drawn || dropped) {
        notice.hidden = false;
        notice.textContent = `High traffic: sampling, showing ${drawn} of ${received} requests in the last second` +
          (dropped ? ` (${dropped} not sent by the server to this slow page)` : "") +
          ". Use the request log (GET /requests) for every entry.";
      } else if (received === 0) {
        notice.hidden = true;
      }
      received = 0; drawn = 0; dropped = 0;
    }, 1000);
  }

  async function pageRequest(id) {
    const show = stage();
    let entry;
    try { entry = await api("GET", `/requests/${enc(id)}`); } catch (err) { show(h("h2", {}, "Request"), failure(err)); return; }
    const headerRows = Object.entries(entry.headers || {}).map(([k, vs]) =>
      h("tr", {}, h("td", {}, k), h("td", {}, vs.join(", "))));
    const parts = [
      h("h2", {}, `Request ${entry.id}`),
      h("dl", { class: "kv", id: "request-summary" },
        h("dt", {}, "Time"), h("dd", {}, entry.timestamp),
        h("dt", {}, "Request"), h("dd", {}, `${entry.method} ${entry.path}${entry.queryString ? "?" + entry.queryString : ""}`),
        h("dt", {}, "From"), h("dd", {}, entry.remoteAddr || ""),
        h("dt", {}, "Status"), h("dd", { id: "request-status" }, entry.statusCode),
        h("dt", {}, "Duration"), h("dd", {}, `${entry.durationMs} ms`),
        h("dt", {}, "Match"), h("dd", {}, matchCell(entry)),
        entry.chaosFault ? [h("dt", {}, "Chaos"), h("dd", {}, entry.chaosFault)] : null),
      h("h3", {}, "Headers"),
      table(["Name", "Value"], headerRows, { id: "request-headers" }),
      h("h3", {}, "Body"),
      entry.body ? h("pre", { id: "request-body" }, entry.body + (entry.bodyTruncated ? `\n… (${entry.bodySize} bytes in all)` : ""))
        : h("p", { class: "muted" }, "(empty)"),
    ];
    if (entry.graphql && Object.keys(entry.graphql).length) parts.push(h("h3", {}, "GraphQL"), json(entry.graphql));
    if (entry.soap && Object.keys(entry.soap).length) parts.push(h("h3", {}, "SOAP"), json(entry.soap));
    parts.push(h("h3", {}, "Response"));
    const respBox = h("div", { id: "request-response" });
    parts.push(respBox);
    show(parts);
    if (!entry.matchedMockId) {
      respBox.append(h("p", {}, `${entry.statusCode}: no mock matched (the 404 body lists the near-misses above).`));
      return;
    }
    try {
      const mock = await api("GET", `/mocks/${enc(entry.matchedMockId)}`);
      const spec = mock[mock.type] || {};
      respBox.append(h("p", { class: "muted" }, `Answered by mock ${mock.id} (as it is defined now):`),
        json(spec.response || spec.statefulBinding || spec));
    } catch (err) {
      respBox.append(h("p", { class: "muted" }, `Mock ${entry.matchedMockId} is gone: ${err.message}`));
    }
  }

  // ------------------------------------------------------------------------------------------ state

  async function pageState(selected) {
    const show = stage();
    let overview;
    try { overview = await api("GET", "/state"); } catch (err) { show(h("h2", {}, "Stateful tables"), failure(err)); return; }
    const reload = () => pageState(selected);
    const rows = overview.resources.map((r) => h("tr", { "data-table": r.name },
      h("td", {}, h("a", { href: `#/state/${enc(r.name)}` }, r.name)),
      h("td", { class: "item-count" }, r.itemCount),
      h("td", {}, r.seedCount),
      h("td", {},
        h("button", { class: "reset", onclick: async () => { await act(() => api("POST", `/state/resources/${enc(r.name)}/reset`)); reload(); } }, "Reset to seed"), " ",
        h("button", { class: "danger clear", onclick: async () => { await act(() => api("DELETE", `/state/resources/${enc(r.name)}`)); reload(); } }, "Clear"))));
    const parts = [
      h("h2", {}, "Stateful tables"),
      h("div", { class: "toolbar" },
        h("span", {}, `${overview.total} tables, ${overview.totalItems} items`),
        h("button", { id: "reset-all", onclick: async () => { await act(() => api("POST", "/state/reset")); reload(); } }, "Reset all")),
      table(["Table", "Items", "Seed", ""], rows, { id: "state-table" }),
    ];
    show(parts);
    const table_ = overview.resources.find((r) => r.name === selected);
    if (table_) await showItems(selected, 0, table_.idField);
  }

  async function showItems(name, offset, idField) {
    let data;
    try {
      data = await api("GET", `/state/resources/${enc(name)}/items?limit=${PAGE_SIZE}&offset=${offset}`);
    } catch (err) { main.append(failure(err)); return; }
    if (!document.getElementById("state-table")) return; // the user has left the state page
    const keys = [idField || "id"]; // the id first, then every other field in the order first seen
    for (const item of data.data) for (const k of Object.keys(item)) if (!keys.includes(k)) keys.push(k);
    const rows = data.data.map((item) => h("tr", {}, keys.map((k) => h("td", {},
      item[k] === undefined ? "" : typeof item[k] === "object" ? JSON.stringify(item[k]) : String(item[k])))));
    const box = h("div", { id: "items" }, h("h3", {}, `Items of ${name}`), table(keys, rows, { id: "items-table" }),
      pager(offset, data.meta.count, data.meta.total, (o) => showItems(name, o, idField)));
    const old = document.getElementById("items");
    if (old) old.replaceWith(box); else main.append(box);
  }

  // ------------------------------------------------------------------------------------------ verification

  async function pageVerify(id) {
    if (id) return pageInvocations(id);
    const show = stage();
    const list = h("div", { id: "verify-list" });
    const reload = async () => {
      try {
        const data = await fetchMockPage();
        if (!data) return;
        const counts = await Promise.all(data.mocks.map((m) =>
          api("GET", `/mocks/${enc(m.id)}/verify`).catch(() => ({ callCount: "?" }))));
        const rows = data.mocks.map((m, i) => h("tr", { "data-id": m.id },
          h("td", {}, h("a", { href: `#/verify/${enc(m.id)}` }, m.id)),
          h("td", {}, m.name || ""),
          h("td", {}, mockPath(m)),
          h("td", { class: "call-count" }, counts[i].callCount),
          h("td", {}, time(counts[i].lastCalledAt))));
        list.replaceChildren(table(["Mock", "Name", "Matches", "Calls", "Last call"], rows, { id: "verify-table" }),
          pager(mockQuery.offset, data.count, data.total, (o) => { mockQuery.offset = o; reload(); }));
      } catch (err) { list.replaceChildren(failure(err)); }
    };
    show(h("h2", {}, "Verification"),
      h("div", { class: "toolbar" }, mockFilters(reload),
        h("button", { id: "refresh-counts", onclick: reload }, "Refresh"),
        h("button", { class: "danger", id: "reset-counts", onclick: async () => { await act(() => api("DELETE", "/verify")); reload(); } }, "Reset all counts")),
      list);
    await reload();
  }

  async function pageInvocations(id) {
    const show = stage();
    let data;
    try { data = await api("GET", `/mocks/${enc(id)}/invocations`); } catch (err) { show(failure(err)); return; }
    const rows = (data.invocations || []).map((inv) => h("tr", {},
      h("td", {}, time(inv.timestamp)), h("td", {}, inv.method), h("td", {}, inv.path),
      h("td", {}, h("pre", {}, inv.body || ""))));
    show(h("h2", {}, `Invocations of ${id}`),
      h("p", {}, `${data.count} calls`),
      table(["Time", "Method", "Path", "Body"], rows, { id: "invocations-table" }),
      h("p", {}, h("a", { href: "#/verify" }, "Back to verification")));
  }

  // ------------------------------------------------------------------------------------------ chaos, status

  async function pageChaos() {
    const show = stage();
    try {
      const [config, stats] = await Promise.all([api("GET", "/chaos"), api("GET", "/chaos/stats")]);
      show(h("h2", {}, "Chaos"),
        h("div", { class: "cards" },
          card("chaos", config.enabled ? "enabled" : "disabled", "chaos-enabled"),
          card("requests seen", stats.totalRequests),
          card("faults injected", stats.injectedFaults),
          card("latency injected", stats.latencyInjected),
          card("errors injected", stats.errorsInjected)),
        h("h3", {}, "Configuration (GET /chaos)"), json(config),
        h("h3", {}, "Faults by type"), json(stats.faultsByType || {}));
    } catch (err) { show(h("h2", {}, "Chaos"), failure(err)); }
  }

  async function pageStatus() {
    const show = stage();
    try {
      const [st, ports] = await Promise.all([api("GET", "/status"), api("GET", "/ports")]);
      const rows = ports.ports.map((p) => h("tr", {},
        h("td", {}, p.component), h("td", {}, p.protocol), h("td", { class: "port" }, p.port), h("td", {}, p.status)));
      show(h("h2", {}, "Server"),
        h("div", { class: "cards", id: "status-cards" },
          card("status", st.status, "server-status"),
          card("version", st.version || ""),
          card("uptime", `${st.uptime} s`),
          card("mocks (active)", `${st.mockCount} (${st.activeMocks || 0})`),
          card("requests logged", st.requestCount)),
        h("p", { class: "muted" }, `Started ${st.startedAt}`),
        h("h3", {}, "Ports"),
        table(["Component", "Protocol", "Port", "Status"], rows, { id: "ports-table" }));
    } catch (err) { show(h("h2", {}, "Server"), failure(err)); }
  }

  // ------------------------------------------------------------------------------------------ routing

  async function route() {
    if (cleanup) { cleanup(); cleanup = null; }
    const mine = ++generation;
    const parts = (location.hash.replace(/^#\/?/, "") || "mocks").split("/").map(decodeURIComponent);
    const [page, a, b] = parts;
    for (const link of document.querySelectorAll("nav a")) {
      const target = page === "requests" ? "traffic" : page;
      link.classList.toggle("active", link.dataset.page === target);
    }
    main.dataset.page = page;
    main.dataset.ready = "";
    if (page === "mocks" && a === "new") await pageMockEdit(null);
    else if (page === "mocks" && a === "edit") await pageMockEdit(b);
    else if (page === "traffic") await pageTraffic();
    else if (page === "requests" && a) await pageRequest(a);
    else if (page === "state") await pageState(a);
    else if (page === "verify") await pageVerify(a);
    else if (page === "chaos") await pageChaos();
    else if (page === "status") await pageStatus();
    else await pageMocks();
    if (mine === generation) main.dataset.ready = "1"; // tests wait for this: the page has drawn what it fetched
  }

  window.addEventListener("hashchange", route);
  route();
})();
