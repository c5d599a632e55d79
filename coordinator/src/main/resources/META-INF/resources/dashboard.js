// The farm's live dashboard: the job list, a job's page (chunk timeline, attempts and logs, preview, actions) and the
// workers page, read from the coordinator's API with the user's token and kept current by its change stream.
const TOKEN_KEY = "facefarm.token";
const view = document.getElementById("view");
const live = document.getElementById("live");
let token = takeTokenFromUrl() || sessionStorage.getItem(TOKEN_KEY);
let refresh = null;
let selectedChunk = null;
// kept across the job page's live re-renders: the log being read, and the preview already fetched
let shownLog = null;
let preview = { job: null, url: null, done: -1 };

// a link may carry the token in its fragment (#token=...), which never reaches a server; it is kept for the session only
function takeTokenFromUrl() {
  const match = location.hash.match(/token=([^&]+)/);
  if (!match) return null;
  const value = decodeURIComponent(match[1]);
  sessionStorage.setItem(TOKEN_KEY, value);
  history.replaceState(null, "", location.pathname + "#/");
  return value;
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...(options.headers || {}), Authorization: "Bearer " + token } });
  if (response.status === 401) { signOut(); throw new ApiError(401, "the token was not accepted"); }
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, message);
  }
  const type = response.headers.get("Content-Type") || "";
  return type.includes("json") ? response.json() : response.text();
}

const escapes = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = value => String(value ?? "").replace(/[&<>"']/g, c => escapes[c]);
// HTML from a template whose values are escaped, unless wrapped in raw()
const raw = html => ({ raw: html });
function h(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? (values[i] && values[i].raw !== undefined ? values[i].raw
    : Array.isArray(values[i]) ? values[i].map(v => v && v.raw !== undefined ? v.raw : esc(v)).join("") : esc(values[i])) : ""), "");
}

const short = id => id ? id.slice(0, 8) : "";
const state = s => raw(h`<span class="state ${s}">${s}</span>`);
const seconds = s => s == null ? "–" : s < 90 ? Math.round(s) + " s" : s < 5400 ? Math.round(s / 60) + " min" : (s / 3600).toFixed(1) + " h";
const ago = t => t ? seconds((Date.now() - Date.parse(t)) / 1000) + " ago" : "–";
const percent = job => job.framesTotal ? Math.floor(100 * job.framesDone / job.framesTotal) : 0;
const bar = job => raw(h`<div class="bar ${job.state}" title="${job.framesDone} of ${job.framesTotal} frames"><span style="width:${percent(job)}%"></span></div>`);
const ended = s => ["DONE", "FAILED", "CANCELLED"].includes(s);

function jobActions(job) {
  const b = (action, label, cls = "") => h`<button class="${cls}" data-action="${action}" data-job="${job.id}">${label}</button>`;
  return raw([
    job.state === "RUNNING" ? b("pause", "Pause") : "",
    job.state === "PAUSED" ? b("resume", "Resume") : "",
    ended(job.state) ? "" : b("cancel", "Cancel", "danger"),
    job.state === "FAILED" || job.state === "CANCELLED" ? b("retry", "Retry") : "",
  ].join(""));
}

async function showJobs() {
  const jobs = await api("/api/v1/jobs?limit=100");
  view.innerHTML = h`<h1>Jobs</h1>
    <table id="jobs"><thead><tr><th>Job</th><th>State</th><th>Progress</th><th class="num">Frames</th><th class="num">frames/s</th>
      <th class="num">ETA</th><th class="num">Priority</th><th>Submitter</th><th>Submitted</th><th></th></tr></thead><tbody>
    ${jobs.map(j => raw(h`<tr data-job-row="${j.id}">
      <td><a href="#/jobs/${j.id}">${short(j.id)}</a></td><td>${state(j.state)}</td>
      <td>${bar(j)}${j.placement && j.placement.waitingFor ? raw(h`<div class="waiting">${j.placement.waitingFor}</div>`) : ""}</td>
      <td class="num">${j.framesDone} / ${j.framesTotal}</td><td class="num">${j.framesPerSecond.toFixed(1)}</td>
      <td class="num">${ended(j.state) ? "–" : seconds(j.etaSeconds)}</td><td class="num">${j.placement ? j.placement.priority : ""}</td>
      <td>${j.placement ? j.placement.submittedBy : ""}</td><td>${ago(j.createdAt)}</td><td class="actions">${jobActions(j)}</td></tr>`))}
    </tbody></table>${jobs.length ? "" : raw("<p class=muted>No jobs yet: submit one with ./farm render or POST /api/v1/jobs.</p>")}`;
}

// one row per worker, one bar per attempt from its start to its end (or now), retries outlined
function timeline(job, attempts) {
  const ran = attempts.filter(a => a.times.startedAt);
  if (!ran.length) return raw("<p class=muted>No chunk has started yet.</p>");
  const workers = [...new Set(ran.map(a => a.workerId || a.assignedWorker || "?"))].sort();
  const start = Math.min(...ran.map(a => Date.parse(a.times.startedAt)));
  const end = Math.max(...ran.map(a => a.times.finishedAt ? Date.parse(a.times.finishedAt) : Date.now()), start + 1000);
  const width = 1000, left = 110, row = 26;
  const x = t => left + (width - left - 10) * (t - start) / (end - start);
  const bars = ran.map(a => {
    const y = 8 + workers.indexOf(a.workerId || a.assignedWorker || "?") * row;
    const from = x(Date.parse(a.times.startedAt));
    const to = Math.max(from + 3, x(a.times.finishedAt ? Date.parse(a.times.finishedAt) : Date.now()));
    const tip = `chunk ${a.chunkIndex} attempt ${a.number} on ${a.workerId}: ${a.state}${a.error ? " — " + a.error : ""}`;
    return h`<rect class="${a.state}${a.number > 1 ? " retry" : ""}" data-chunk="${a.chunkIndex}" data-attempt="${a.number}" x="${from.toFixed(1)}"
      y="${y}" width="${(to - from).toFixed(1)}" height="${row - 8}"><title>${tip}</title></rect>` + (to - from > 18
      ? h`<text x="${(from + 3).toFixed(1)}" y="${y + 13}" style="fill:#041220">${a.chunkIndex}</text>` : "");
  });
  const labels = workers.map((w, i) => h`<text x="4" y="${8 + i * row + 13}">${w}</text>`);
  return raw(h`<svg class="timeline" id="timeline" viewBox="0 0 ${width} ${workers.length * row + 24}">${raw(labels.join(""))}${raw(bars.join(""))}
    <text x="${left}" y="${workers.length * row + 20}">${new Date(start).toLocaleTimeString()}</text>
    <text x="${width - 80}" y="${workers.length * row + 20}">${seconds((end - start) / 1000)}</text></svg>`);
}

async function showJob(id) {
  const [job, chunks, attempts, history] = await Promise.all([api(`/api/v1/jobs/${id}`), api(`/api/v1/jobs/${id}/chunks`),
    api(`/api/v1/jobs/${id}/attempts`), api(`/api/v1/jobs/${id}/history`)]);
  const p = job.placement || {};
  const chunkAttempts = attempts.filter(a => a.chunkIndex === selectedChunk);
  view.innerHTML = h`<h1>Job ${job.id} ${state(job.state)}</h1>
    <div class="grid"><section class="card">
      ${bar(job)}
      <dl class="facts">
        <dt>Frames</dt><dd id="frames">${job.framesDone} of ${job.framesTotal} (${percent(job)}%)</dd>
        <dt>Speed</dt><dd>${job.framesPerSecond.toFixed(1)} frames/s, ETA ${ended(job.state) ? "–" : seconds(job.etaSeconds)}</dd>
        <dt>Picture</dt><dd>${job.width}×${job.height} at ${job.frameRate} fps${job.hasAudio ? ", with audio" : ""}</dd>
        <dt>Chunks</dt><dd>${job.chunksTotal}: ${Object.entries(job.chunks).map(([s, n]) => `${n} ${s}`).join(", ")}</dd>
        <dt>Processors</dt><dd>${job.processors.join(" → ")}</dd>
        <dt>Submitter</dt><dd>${p.submittedBy || "–"}, ${ago(job.createdAt)}${p.retries ? raw(h`, retried ${p.retries}×`) : ""}</dd>
        <dt>Priority</dt><dd class="actions">${p.priority}${ended(job.state) ? "" : raw(h` <input type="number" min="0" max="100" id="priority"
          value="${p.priority}"><button data-action="priority" data-job="${job.id}">Set</button>`)}</dd>
        <dt>Needs tags</dt><dd>${p.requiredTags && p.requiredTags.length ? raw(p.requiredTags.map(t => h`<span class="tag">${t}</span>`).join("")) : "any worker"}</dd>
        ${p.blocklistedWorkers && p.blocklistedWorkers.length ? raw(h`<dt>Blocklisted</dt><dd>${p.blocklistedWorkers.join(", ")}</dd>`) : ""}
        ${p.waitingFor ? raw(h`<dt>Waiting</dt><dd class="waiting">${p.waitingFor}</dd>`) : ""}
        ${job.error ? raw(h`<dt>Error</dt><dd class="error">${job.error}</dd>`) : ""}
      </dl>
      <p class="actions" id="job-actions">${jobActions(job)}${job.state === "DONE" ? raw(h`<button data-action="download" data-job="${job.id}">Download</button>`) : ""}</p>
    </section><section class="card">
      <img class="preview" id="preview" alt="the latest finished frames appear here once a chunk is done" src="">
      <h2>Models</h2>
      <table><tbody>${(job.models || []).map(m => raw(h`<tr><td>${m.id}</td><td>${m.license}${m.commercialUse ? "" : " (non-commercial)"}</td></tr>`))}</tbody></table>
    </section></div>
    <h2>Chunk timeline by worker</h2>${timeline(job, attempts)}
    <h2>Chunks</h2>
    <table id="chunks"><thead><tr><th class="num">Chunk</th><th>Frames</th><th>State</th><th class="num">Attempts</th><th>Worker</th>
      <th class="num">frames/s</th><th></th></tr></thead><tbody>
    ${chunks.map(c => raw(h`<tr class="${c.index === selectedChunk ? "selected" : ""}"><td class="num">${c.index}</td><td>${c.owned.start}–${c.owned.end - 1}</td>
      <td>${state(c.state)}</td><td class="num">${c.attempts}</td><td>${c.workerId || ""}</td><td class="num">${c.framesPerSecond.toFixed(1)}</td>
      <td class="actions"><button data-action="attempts" data-chunk="${c.index}">Attempts</button>${["RUNNING", "PAUSED"].includes(job.state)
        ? raw(h`<button data-action="retry-chunk" data-job="${job.id}" data-chunk="${c.index}">Render again</button>`) : ""}</td></tr>`))}
    </tbody></table>
    ${selectedChunk === null ? "" : raw(h`<h2>Attempts at chunk ${selectedChunk}</h2><table id="attempts"><thead><tr><th class="num">#</th><th>State</th>
      <th>Sent to</th><th>Ran on</th><th class="num">Frames</th><th>Started</th><th>Error</th><th></th></tr></thead><tbody>
      ${chunkAttempts.map(a => raw(h`<tr><td class="num">${a.number}</td><td>${state(a.state)}</td><td>${a.assignedWorker || ""}</td><td>${a.workerId || ""}</td>
        <td class="num">${a.framesDone}</td><td>${ago(a.times.startedAt)}</td><td class="error">${a.error || ""}${a.logTail ? raw(h`<pre>${a.logTail}</pre>`) : ""}</td>
        <td><button data-action="log" data-url="${a.logUrl}">Log</button></td></tr>`))}</tbody></table>
      ${shownLog ? raw(h`<h2>Log of attempt ${shownLog.number}</h2><pre id="log">${shownLog.text}</pre>`) : ""}`)}
    <h2>History</h2>
    <table id="history"><tbody>${history.map(e => raw(h`<tr><td>${new Date(e.at).toLocaleString()}</td><td>${e.action}</td><td>${e.actor}</td>
      <td class="muted">${e.detail || ""}</td></tr>`))}</tbody></table>`;
  const done = job.chunks.DONE || 0;
  if (preview.job === id && preview.url) document.getElementById("preview").src = preview.url;
  if (preview.job !== id || preview.done !== done) loadPreview(id, done);
}

// the newest finished chunk's last frame, fetched again only when another chunk is done
async function loadPreview(id, done) {
  try {
    const response = await fetch(`/api/v1/jobs/${id}/preview`, { headers: { Authorization: "Bearer " + token } });
    if (!response.ok) return;
    if (preview.url) URL.revokeObjectURL(preview.url);
    preview = { job: id, url: URL.createObjectURL(await response.blob()), done };
    const img = document.getElementById("preview");
    if (img) img.src = preview.url;
  } catch (e) { /* the preview is a nicety */ }
}

async function showWorkers() {
  const workers = await api("/api/v1/workers");
  const b = (action, label, id) => h`<button data-action="${action}" data-worker="${id}">${label}</button>`;
  view.innerHTML = h`<h1>Workers</h1>
    <table id="workers"><thead><tr><th>Worker</th><th>State</th><th>Device</th><th>Provider</th><th>Tags</th><th>Now</th><th class="num">frames/s</th>
      <th class="num">Frames</th><th class="num">Busy</th><th class="num">Failures</th><th>Heartbeat</th><th></th></tr></thead><tbody>
    ${workers.map(w => raw(h`<tr data-worker-row="${w.id}"><td>${w.id}<div class="muted">${w.host || ""}</div></td><td>${state(w.state)}
      ${w.quarantineReason ? raw(h`<div class="error">${w.quarantineReason}</div>`) : ""}${w.drainedBy ? raw(h`<div class="muted">by ${w.drainedBy}</div>`) : ""}</td>
      <td>${w.device || ""}</td><td>${w.executionProvider || ""}${w.acceleratorNote ? raw(h`<div class="muted" title="${w.acceleratorNote}">note</div>`) : ""}</td>
      <td>${raw((w.tags || []).filter(t => !t.startsWith("model=")).map(t => h`<span class="tag">${t}</span>`).join(""))}</td>
      <td>${w.currentJob ? raw(h`<a href="#/jobs/${w.currentJob}">${short(w.currentJob)}</a>${w.currentChunk != null ? " #" + w.currentChunk : ""}`) : "idle"}</td>
      <td class="num">${w.framesPerSecond.toFixed(1)}</td><td class="num">${w.framesRendered}</td><td class="num">${seconds(w.busySeconds)}</td>
      <td class="num">${w.failures}</td><td>${ago(w.lastSeenAt)}</td>
      <td class="actions">${w.state === "IN_SERVICE" ? raw(b("drain", "Drain", w.id)) : ""}${["DRAINED", "QUARANTINED"].includes(w.state) ? raw(b("release", "Release", w.id)) : ""}</td></tr>`))}
    </tbody></table>`;
}

function route() {
  const path = location.hash.replace(/^#/, "") || "/";
  document.querySelectorAll("[data-nav]").forEach(a => a.classList.toggle("active", path.startsWith("/workers") === (a.dataset.nav === "workers")));
  const job = path.match(/^\/jobs\/([0-9a-f-]{36})/);
  if (job && refresh?.job !== job[1]) { selectedChunk = null; shownLog = null; }
  refresh = job ? Object.assign(() => showJob(job[1]), { job: job[1] }) : path.startsWith("/workers") ? showWorkers : showJobs;
  return render();
}

let rendering = false, again = false;
async function render() {
  if (rendering) { again = true; return; }
  rendering = true;
  try { await refresh(); } catch (e) { if (e.status !== 401) view.innerHTML = h`<p class="error">${e.message}</p>`; }
  rendering = false;
  if (again) { again = false; render(); }
}

view.addEventListener("click", async event => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const { action, job, worker, chunk, url } = button.dataset;
  try {
    if (action === "attempts") { selectedChunk = Number(chunk); shownLog = null; return render(); }
    if (action === "log") { shownLog = { number: url.split("/attempts/")[1].split("/")[0], text: await api(url) }; return render(); }
    if (action === "download") { const link = await api(`/api/v1/jobs/${job}/output/url`); location.href = link.url; return; }
    if (action === "cancel" && !confirm(`Cancel job ${short(job)}? Its running chunks stop and its chunks are deleted.`)) return;
    if (action === "priority") {
      await api(`/api/v1/jobs/${job}/priority`, { method: "PUT", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ priority: Number(document.getElementById("priority").value) }) });
    } else if (action === "retry-chunk") {
      await api(`/api/v1/jobs/${job}/chunks/${chunk}/retry`, { method: "POST" });
    } else if (job) {
      await api(`/api/v1/jobs/${job}/${action}`, { method: "POST" });
    } else if (worker) {
      await api(`/api/v1/workers/${encodeURIComponent(worker)}/${action}`, { method: "POST" });
    }
    render();
  } catch (e) {
    alert(e.message);
  }
});

// the farm's change stream, read with fetch so it can carry the token; it reconnects when it drops
async function follow() {
  for (;;) {
    try {
      const response = await fetch("/api/v1/events", { headers: { Authorization: "Bearer " + token, Accept: "text/event-stream" } });
      if (response.status === 401) return signOut();
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      live.textContent = "live"; live.classList.add("on");
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const data = buffer.slice(0, end).split("\n").filter(l => l.startsWith("data:")).map(l => l.slice(5)).join("\n");
          buffer = buffer.slice(end + 2);
          if (data) changed(JSON.parse(data));
        }
      }
    } catch (e) { /* reconnect below */ }
    live.textContent = "reconnecting…"; live.classList.remove("on");
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

function changed(batch) {
  const path = location.hash;
  if (refresh && refresh.job ? batch.jobs.includes(refresh.job) : path.startsWith("#/workers") ? batch.workers : batch.jobs.length) render();
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  token = null;
  signIn();
}

function signIn() {
  document.getElementById("sign-out").hidden = true;
  view.replaceChildren(document.getElementById("sign-in").content.cloneNode(true));
  document.getElementById("token-form").addEventListener("submit", async event => {
    event.preventDefault();
    token = document.getElementById("token").value.trim();
    try {
      await api("/api/v1/jobs?limit=1");
      sessionStorage.setItem(TOKEN_KEY, token);
      start();
    } catch (e) {
      const error = document.getElementById("token-error");
      if (error) { error.textContent = e.message; error.hidden = false; }
    }
  });
}

function start() {
  document.getElementById("sign-out").hidden = false;
  window.addEventListener("hashchange", route);
  route();
  follow();
}

document.getElementById("sign-out").addEventListener("click", signOut);
if (token) start(); else signIn();
