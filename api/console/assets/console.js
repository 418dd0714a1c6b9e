/* 双随机工作台 — the console's only script: progressive enhancement, no framework, no network
 * other than this server. Every page works without it except the two steps that must happen in
 * the department's own browser: making the seed secret and revealing it (the server never sees
 * the secret before the reveal).
 *
 *   [data-secret-commit]  make a 32-byte secret (crypto.getRandomValues), keep it in this browser
 *                         (localStorage) and offer it as a file; fill the form with its SHA-256 only
 *   [data-secret-reveal]  read the kept secret (or a file / pasted text), check it against the
 *                         published hash, fill the form with it
 *   [data-cap]            instant check of a quota against the applicable cap (per mille)
 *   [data-categories]     result categories: 未发现问题 excludes problems; a sub-kind ticks its parent
 *   [data-progress]       upload with a progress bar (XMLHttpRequest), then show the server's page
 *   [data-confirm]        ask before a step that cannot be undone
 *   [data-message]        as typed: the field's own Chinese message when it breaks its rule
 *                         (required, pattern, length), shown under the field
 *   [data-job]            a long job's progress (GET /jobs/:id each second), the page reloaded
 *                         when it ends (without a script the page refreshes itself)
 */
(function () {
  "use strict";

  // ── SHA-256 (Web Crypto when available — it needs a secure context — else this small fallback)
  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
  function sha256Js(bytes) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var len = bytes.length, withPad = ((len + 9 + 63) >> 6) << 6;
    var m = new Uint8Array(withPad);
    m.set(bytes);
    m[len] = 0x80;
    var bits = len * 8;
    m[withPad - 4] = (bits >>> 24) & 255; m[withPad - 3] = (bits >>> 16) & 255; m[withPad - 2] = (bits >>> 8) & 255; m[withPad - 1] = bits & 255;
    m[withPad - 5] = Math.floor(bits / 4294967296) & 255;
    var w = new Array(64);
    for (var off = 0; off < withPad; off += 64) {
      for (var i = 0; i < 16; i++) w[i] = (m[off + 4 * i] << 24) | (m[off + 4 * i + 1] << 16) | (m[off + 4 * i + 2] << 8) | m[off + 4 * i + 3];
      for (i = 16; i < 64; i++) {
        var x = w[i - 15], y = w[i - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (i = 0; i < 64; i++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + hh) | 0;
    }
    return h.map(function (v) { return ("00000000" + (v >>> 0).toString(16)).slice(-8); }).join("");
  }
  function toHex(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += ("0" + bytes[i].toString(16)).slice(-2);
    return s;
  }
  function fromHex(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
    return out;
  }
  function sha256Hex(bytes) {
    if (window.crypto && window.crypto.subtle && window.isSecureContext) {
      return window.crypto.subtle.digest("SHA-256", bytes).then(function (d) { return toHex(new Uint8Array(d)); });
    }
    return Promise.resolve(sha256Js(bytes));
  }
  window.ssjSha256Hex = function (hex) { return sha256Hex(fromHex(hex)); };

  function $(root, sel) { return root.querySelector(sel); }
  function say(el, text, bad) {
    if (!el) return;
    el.textContent = text;
    el.className = bad ? "field-error" : "hint";
  }
  var STORE = "ssj-secret:";
  function keep(key, value) {
    try { window.localStorage.setItem(STORE + key, value); return true; } catch (e) { return false; }
  }
  function kept(key) {
    try { return window.localStorage.getItem(STORE + key); } catch (e) { return null; }
  }
  function download(name, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // ── the department's secret: made here, kept here; only its hash is sent at commit time
  function secretCommit(form) {
    var key = form.getAttribute("data-secret-commit");
    var make = $(form, "[data-make]"), hash = $(form, "input[name=hash]"), submit = $(form, "button[type=submit]");
    var out = $(form, "[data-hash-out]"), status = $(form, "[data-status]"), receipt = document.getElementById("receipt");
    submit.disabled = true;
    make.hidden = false;
    make.addEventListener("click", function () {
      var existing = kept(key);
      if (existing && !window.confirm("本浏览器已为这次抽取保存过一个秘密值。重新生成会替换它（未提交的旧值作废）。继续？")) return;
      var bytes = new Uint8Array(32);
      window.crypto.getRandomValues(bytes);
      var secret = toHex(bytes);
      sha256Hex(bytes).then(function (h) {
        if (!keep(key, secret)) { say(status, "无法在本浏览器保存秘密值（浏览器禁用了本地存储）：请下载秘密值文件妥善保管。", true); }
        else say(status, "秘密值已生成并保存在本浏览器中（不会发送到服务器）。请下载秘密值文件作为备份，并打印回执。", false);
        hash.value = h;
        out.textContent = h;
        submit.disabled = false;
        if (receipt) {
          receipt.hidden = false;
          var rh = $(receipt, "[data-receipt-hash]");
          if (rh) rh.textContent = h;
          var rt = $(receipt, "[data-receipt-time]");
          if (rt) rt.textContent = new Date().toLocaleString("zh-CN", { hour12: false });
        }
        var dl = $(form, "[data-download]");
        if (dl) {
          dl.hidden = false;
          dl.onclick = function () { download(key.replace(/[^A-Za-z0-9_-]/g, "_") + ".secret", secret + "\n"); };
        }
      });
    });
  }

  function secretReveal(form) {
    var key = form.getAttribute("data-secret-reveal"), expected = form.getAttribute("data-hash");
    var input = $(form, "input[name=secret]"), status = $(form, "[data-status]"), submit = $(form, "button[type=submit]");
    var paste = $(form, "[data-paste]"), file = $(form, "[data-file]");
    function check(secret) {
      secret = (secret || "").trim().toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(secret)) { say(status, "秘密值应为 64 位十六进制字符。", true); submit.disabled = true; return; }
      window.ssjSha256Hex(secret).then(function (h) {
        if (h !== expected) { say(status, "这个秘密值与本部门提交的承诺不符（SHA-256 不一致），不能公开。", true); submit.disabled = true; return; }
        input.value = secret;
        submit.disabled = false;
        say(status, "已核对：秘密值与本部门提交的承诺一致，可以公开。", false);
      });
    }
    submit.disabled = true;
    var k = kept(key);
    if (k) check(k);
    else say(status, "本浏览器中没有这次抽取的秘密值：请选择备份的秘密值文件，或粘贴秘密值。", true);
    if (paste) { paste.hidden = false; paste.addEventListener("input", function () { check(paste.value); }); }
    if (file) {
      file.hidden = false;
      file.addEventListener("change", function () {
        var f = file.files && file.files[0];
        if (!f) return;
        f.text().then(check);
      });
    }
  }

  // ── instant checks
  // The cap binds only when every item the department checks is a general (一般) item.
  function capCheck(input) {
    var cap = Number(input.getAttribute("data-cap")), msg = document.getElementById(input.getAttribute("aria-describedby").split(" ").pop());
    var fs = input.closest("fieldset[data-dept]");
    function capApplies() {
      if (!fs) return true;
      var checked = fs.querySelectorAll("input[type=checkbox][data-kind]:checked");
      if (!checked.length) return false;
      return Array.prototype.every.call(checked, function (c) { return c.getAttribute("data-kind") === "general"; });
    }
    function run() {
      var group = input.closest("[data-quota]");
      var mode = group ? $(group, "select") : null;
      var ratio = !mode || mode.value === "ratio";
      var v = input.value.trim();
      var bound = capApplies() && cap >= 0;
      var problem = "";
      if (v !== "" && !/^\d+$/.test(v)) problem = "请填写不小于 0 的整数";
      else if (v !== "" && ratio && Number(v) > 1000) problem = "比例最多 1000‰";
      else if (v !== "" && ratio && bound && Number(v) > cap) problem = "超过一般检查事项的比例上限 " + cap + "‰";
      input.setCustomValidity(problem);
      input.setAttribute("aria-invalid", problem ? "true" : "false");
      var text = !ratio ? "数量：抽取时按该类候选对象数核对上限" : bound ? "一般检查事项上限 " + cap + "‰" : "含重点检查事项：比例不设上限";
      if (msg) say(msg, problem || text, !!problem);
    }
    input.addEventListener("input", run);
    var group = input.closest("[data-quota]");
    if (group && $(group, "select")) $(group, "select").addEventListener("change", run);
    if (fs) Array.prototype.forEach.call(fs.querySelectorAll("input[type=checkbox][data-kind]"), function (c) { c.addEventListener("change", run); });
    run();
  }

  function categories(box) {
    var inputs = box.querySelectorAll("input[type=checkbox]");
    var msg = $(box, "[data-status]");
    function byCode(code) { return box.querySelector("input[value='" + code + "']"); }
    function run(changed) {
      var none = byCode(box.getAttribute("data-none"));
      if (changed && changed.checked && changed.getAttribute("data-parent")) {
        var parent = byCode(changed.getAttribute("data-parent"));
        if (parent) parent.checked = true;
      }
      var problems = Array.prototype.filter.call(inputs, function (i) { return i.checked && i.getAttribute("data-group") === "problem"; });
      var any = Array.prototype.some.call(inputs, function (i) { return i.checked; });
      var text = "";
      if (none && none.checked && problems.length) text = "“" + none.parentNode.textContent.trim() + "”不能与发现问题的类别同时选择";
      else if (!any) text = "请至少选择一个检查结果";
      inputs[0].setCustomValidity(text);
      say(msg, text || "已选择 " + Array.prototype.filter.call(inputs, function (i) { return i.checked; }).length + " 项", !!text);
    }
    Array.prototype.forEach.call(inputs, function (i) { i.addEventListener("change", function () { run(i); }); });
    run(null);
  }

  // 频次上限: the cap across levels is not below the cap at the level; an exempted kind needs its reason.
  function frequencyCap(form) {
    var level = $(form, "[data-cap-level]"), all = $(form, "[data-cap-all]"), msg = $(form, "[data-cap-all-msg]");
    function run() {
      var n = Number(level.value), a = all.value.trim();
      var problem = a !== "" && level.value.trim() !== "" && Number(a) < n ? "合计上限不能小于本层级上限 " + n + " 次" : "";
      all.min = level.value.trim() !== "" && n >= 1 ? String(n) : "1";
      all.setCustomValidity(problem);
      all.setAttribute("aria-invalid", problem ? "true" : "false");
      say(msg, problem || "留空为不限；不能小于本层级上限", !!problem);
      Array.prototype.forEach.call(form.querySelectorAll("[data-exemption]"), function (row) {
        var box = $(row, "input[type=checkbox]"), reason = $(row, "input[name^=reason-]");
        reason.required = box.checked;
      });
    }
    level.addEventListener("input", run);
    all.addEventListener("input", run);
    Array.prototype.forEach.call(form.querySelectorAll("[data-exemption] input[type=checkbox]"), function (b) { b.addEventListener("change", run); });
    run();
  }

  function progressUpload(form) {
    form.addEventListener("submit", function (ev) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      ev.preventDefault();
      var bar = $(form, "progress"), status = $(form, "[data-status]");
      bar.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; say(status, "上传中 " + Math.round((100 * e.loaded) / e.total) + "%", false); }
      };
      xhr.upload.onload = function () { bar.removeAttribute("value"); say(status, "已上传，服务器正在逐行检查并写入（大文件需要一些时间）…", false); };
      xhr.onload = function () {
        // The work goes on in the background: follow it on its progress page.
        if (xhr.responseURL && xhr.responseURL.indexOf("/console/jobs/") >= 0) { window.location.assign(xhr.responseURL); return; }
        document.open();
        document.write(xhr.responseText);
        document.close();
        if (xhr.responseURL && history.replaceState) history.replaceState(null, "", xhr.responseURL);
      };
      xhr.onerror = function () { say(status, "上传失败：网络中断，请重试。", true); };
      xhr.send(new FormData(form));
      Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
    });
  }

  function fieldMessage(input) {
    var note = document.createElement("small");
    note.className = "field-error";
    note.id = (input.id || input.name) + "-msg";
    note.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(note);
    input.setAttribute("aria-errormessage", note.id);
    function run(showEmpty) {
      input.setCustomValidity("");
      var v = input.validity, broken = !v.valid && (showEmpty || !v.valueMissing);
      var text = broken ? input.getAttribute("data-message") : "";
      input.setCustomValidity(v.valid ? "" : input.getAttribute("data-message"));
      input.setAttribute("aria-invalid", broken ? "true" : "false");
      note.textContent = text;
    }
    input.addEventListener("input", function () { run(false); });
    input.addEventListener("blur", function () { run(true); });
    input.addEventListener("invalid", function () { run(true); });
    run(false);
  }

  var UNIT = { importing: "行", committing: "行", tasks: "项任务", instance: "户检查对象", solving: "项任务", writing: "次检查" };
  function jobProgress(box) {
    var url = box.getAttribute("data-job"), bar = $(box, "progress"), status = $(box, "[data-status]");
    function show(j) {
      var text = j.phaseLabel;
      var unit = UNIT[j.phase] || "";
      if (j.done !== null) text += "：已处理 " + j.done + (j.total !== null ? " / " + j.total : "") + " " + unit;
      else if (j.total !== null) text += "（共 " + j.total + " " + unit + "）";
      say(status, text, false);
      if (j.totalBytes && j.bytesRead !== null) { bar.max = j.totalBytes; bar.value = j.bytesRead; }
      else if (j.total && j.done !== null) { bar.max = j.total; bar.value = j.done; }
      else bar.removeAttribute("value");
    }
    function tick() {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", url);
      xhr.setRequestHeader("accept", "application/json");
      xhr.onload = function () {
        var j = null;
        try { j = JSON.parse(xhr.responseText); } catch (e) { j = null; }
        if (xhr.status !== 200 || !j || j.status !== "running") { window.location.reload(); return; }
        show(j);
        setTimeout(tick, 1000);
      };
      xhr.onerror = function () { setTimeout(tick, 3000); };
      xhr.send();
    }
    setTimeout(tick, 300);
  }

  function busy(form) {
    form.addEventListener("submit", function () {
      var s = form.querySelector("[data-busy-text]");
      if (s) { s.hidden = false; }
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { setTimeout(function () { b.disabled = true; }, 0); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-secret-commit]"), secretCommit);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-secret-reveal]"), secretReveal);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-cap]"), capCheck);
    Array.prototype.forEach.call(document.querySelectorAll("[data-categories]"), categories);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-frequency-cap]"), frequencyCap);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-progress]"), progressUpload);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-busy]"), busy);
    Array.prototype.forEach.call(document.querySelectorAll("[data-message]"), fieldMessage);
    Array.prototype.forEach.call(document.querySelectorAll("[data-job]"), jobProgress);
    Array.prototype.forEach.call(document.querySelectorAll("[data-confirm]"), function (el) {
      var form = el.tagName === "FORM" ? el : el.form;
      form.addEventListener("submit", function (ev) { if (!window.confirm(el.getAttribute("data-confirm"))) ev.preventDefault(); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
    var err = document.getElementById("form-error");
    if (err) err.focus();
  });
})();
