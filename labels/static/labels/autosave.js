/*
 * autosave.js: drafts that never lose text (SPEC R25). Generic: any form with
 * data-autosave-url gets it; the School Label reuses it as is.
 *
 * The form declares:
 *   data-autosave-url       POST endpoint; answers JSON:
 *                             200 {ok, version, saved_at, message}
 *                             401/403 {error: "session_expired", message, login_url}
 *                             409 {error: "conflict", version, fields: {name: text}, message}
 *                             400 {error, message}
 *   data-autosave-key       localStorage key for this draft (e.g. "nql-12")
 *   data-autosave-updated   ISO time the server copy was last saved
 *   data-autosave-messages  id of a <script type="application/json"> with the texts
 *   data-autosave-login-url where to sign in again (with ?next= back here)
 *   a hidden input name="version": the version this copy is based on
 *   [data-autosave-status]  inside or anywhere on the page: where "Saved at 10:42" shows
 * Fields that are not saved: type=hidden/file/submit, and [data-autosave-ignore].
 *
 * How text survives:
 *   - every change goes to localStorage at once (survives a closed tab, an expired
 *     session, a lost network), then to the server after a pause in typing or when
 *     the field loses focus;
 *   - the session expired (401/403): the local copy stays; after the next sign-in
 *     the page finds the copy newer than the server's, based on the same version,
 *     and saves it by itself;
 *   - another tab saved first (409): nothing is overwritten; the other text is shown
 *     under each field that differs, and the user chooses.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 1200;
  var RETRY_MS = 5000;

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  function format(template, value) {
    return (template || "").replace("%s", value);
  }

  function hhmm(date) {
    return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
  }

  function Autosave(form) {
    this.form = form;
    this.url = form.dataset.autosaveUrl;
    this.key = "autosave:" + (form.dataset.autosaveKey || this.url);
    this.loginUrl = form.dataset.autosaveLoginUrl || "";
    this.serverUpdated = Date.parse(form.dataset.autosaveUpdated || "") || 0;
    var msgEl = document.getElementById(form.dataset.autosaveMessages || "");
    this.msg = msgEl ? JSON.parse(msgEl.textContent) : {};
    this.status =
      form.querySelector("[data-autosave-status]") ||
      document.querySelector("[data-autosave-status]");
    this.versionInput = form.querySelector("input[name=version]");
    this.timer = null;
    this.inflight = false;
    this.queued = false;
    this.blocked = false; // a conflict waits for the user's choice
    this.lastSent = this.snapshot();
    this.bind();
    this.restoreLocal();
  }

  Autosave.prototype.fields = function () {
    return Array.prototype.filter.call(this.form.elements, function (el) {
      if (!el.name || el.disabled || el.hasAttribute("data-autosave-ignore")) return false;
      var type = (el.type || "").toLowerCase();
      return ["hidden", "file", "submit", "button", "reset"].indexOf(type) === -1 &&
        el.name !== "csrfmiddlewaretoken";
    });
  };

  Autosave.prototype.snapshot = function () {
    var data = {};
    this.fields().forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      data[el.name] = el.value;
    });
    return data;
  };

  Autosave.prototype.version = function () {
    return parseInt(this.versionInput ? this.versionInput.value : "0", 10) || 0;
  };

  Autosave.prototype.setVersion = function (version) {
    if (this.versionInput) this.versionInput.value = String(version);
  };

  Autosave.prototype.show = function (text, tone) {
    if (!this.status) return;
    // While signed out, keep the message and its sign-in link in place (rebuilding it
    // under the user's pointer would swallow the click).
    if (this.signedOut && tone !== "ok") return;
    if (tone === "ok") this.signedOut = false;
    this.status.textContent = text;
    this.status.dataset.tone = tone || "";
    this.status.classList.remove("text-danger", "text-warning", "text-success");
    if (tone === "error") this.status.classList.add("text-danger");
    if (tone === "warning") this.status.classList.add("text-warning");
    if (tone === "ok") this.status.classList.add("text-success");
  };

  Autosave.prototype.storeLocal = function (pending) {
    try {
      localStorage.setItem(this.key, JSON.stringify({
        fields: this.snapshot(),
        baseVersion: this.version(),
        at: Date.now(),
        pending: pending
      }));
    } catch (e) { /* storage full or disabled: the server save still runs */ }
  };

  Autosave.prototype.readLocal = function () {
    try {
      return JSON.parse(localStorage.getItem(this.key) || "null");
    } catch (e) {
      return null;
    }
  };

  Autosave.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("input", function (event) {
      if (!event.target.name) return;
      self.storeLocal(true);
      self.show(self.msg.unsaved || "…", "");
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.save(); }, DEBOUNCE_MS);
    });
    this.form.addEventListener("focusout", function (event) {
      if (!event.target.name) return;
      clearTimeout(self.timer);
      self.save();
    });
    this.form.addEventListener("submit", function () {
      // The normal post carries the text (the server accepts it even if an autosave of
      // the same text lands first); the local copy is cleared on the next load.
      clearTimeout(self.timer);
      self.blocked = true;
      self.storeLocal(true);
    });
    window.addEventListener("pagehide", function () {
      if (self.dirty() && !self.blocked) self.save({ keepalive: true });
    });
  };

  Autosave.prototype.dirty = function () {
    return JSON.stringify(this.snapshot()) !== JSON.stringify(this.lastSent);
  };

  Autosave.prototype.restoreLocal = function () {
    var local = this.readLocal();
    if (!local || !local.pending || !local.fields) return;
    var current = this.snapshot();
    var differs = Object.keys(local.fields).some(function (name) {
      return current[name] !== undefined && current[name] !== local.fields[name];
    });
    if (!differs) {
      this.storeLocal(false);
      return;
    }
    if (local.at <= this.serverUpdated) return; // the server has something newer
    if (local.baseVersion === this.version()) {
      // Typed while signed out (or offline, or before the tab closed) on top of
      // exactly this server copy: put it back and save it.
      this.apply(local.fields);
      this.show(this.msg.restored || "", "warning");
      this.save();
    } else {
      this.offerLocal(local);
    }
  };

  Autosave.prototype.apply = function (fields) {
    this.fields().forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(fields, el.name) &&
          el.type !== "checkbox" && el.type !== "radio") {
        el.value = fields[el.name];
      }
    });
  };

  // The browser has a newer copy, but the server moved on too: let the user choose.
  Autosave.prototype.offerLocal = function (local) {
    var self = this;
    var box = document.createElement("div");
    box.className = "alert alert-warning autosave-offer";
    box.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.className = "mb-2";
    text.textContent = format(self.msg.local_found || "", hhmm(new Date(local.at)));
    var use = document.createElement("button");
    use.type = "button";
    use.className = "btn btn-sm btn-warning me-2";
    use.textContent = self.msg.use_local || "OK";
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "btn btn-sm btn-outline-secondary";
    drop.textContent = self.msg.drop_local || "×";
    use.addEventListener("click", function () {
      self.apply(local.fields);
      box.remove();
      self.save();
    });
    drop.addEventListener("click", function () {
      self.storeLocal(false);
      box.remove();
    });
    box.append(text, use, drop);
    this.form.prepend(box);
  };

  Autosave.prototype.save = function (options) {
    var self = this;
    options = options || {};
    if (this.blocked) return;
    if (this.inflight) {
      this.queued = true;
      return;
    }
    if (!this.dirty()) return;
    var sent = this.snapshot();
    var body = new FormData();
    Object.keys(sent).forEach(function (name) { body.append(name, sent[name]); });
    body.append("version", String(this.version()));
    var token = cookie("csrftoken") ||
      (this.form.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
    this.inflight = true;
    this.show(this.msg.saving || "…", "");
    fetch(this.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      keepalive: !!options.keepalive,
      headers: { "X-CSRFToken": token, "Accept": "application/json",
                 "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      var type = response.headers.get("content-type") || "";
      var json = type.indexOf("json") !== -1 ? response.json() : Promise.resolve({});
      return json.then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      self.inflight = false;
      var data = result.data || {};
      if (result.status === 200 && data.ok) {
        self.setVersion(data.version);
        self.lastSent = sent;
        self.serverUpdated = Date.parse(data.updated_at || "") || Date.now();
        self.storeLocal(self.dirty());
        self.show(data.message || format(self.msg.saved, data.saved_at), "ok");
        self.form.dispatchEvent(new CustomEvent("autosave:saved", { detail: data }));
      } else if (result.status === 409 && data.error === "conflict") {
        self.conflict(data);
      } else if (result.status === 401 || result.status === 403 || result.status === 0 ||
                 (result.status >= 300 && result.status < 400)) {
        // Signed out (or the CSRF token went with the session): keep it all locally.
        self.storeLocal(true);
        self.expired(data);
      } else if (result.status === 400) {
        self.storeLocal(true);
        self.show(data.message || self.msg.error || "", "error");
      } else {
        self.storeLocal(true);
        self.retry();
      }
      if (self.queued) {
        self.queued = false;
        self.save();
      }
    }).catch(function () {
      self.inflight = false;
      self.storeLocal(true);
      self.retry();
    });
  };

  Autosave.prototype.retry = function () {
    var self = this;
    this.show(this.msg.offline || "", "warning");
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.save(); }, RETRY_MS);
  };

  Autosave.prototype.expired = function (data) {
    if (!this.status || this.signedOut) return;
    this.signedOut = true;
    this.status.textContent = "";
    this.status.dataset.tone = "error";
    this.status.classList.add("text-danger");
    var text = document.createElement("span");
    text.textContent = (data && data.message) || this.msg.expired || "";
    this.status.append(text);
    var login = this.loginUrl || (data && data.login_url);
    if (login) {
      var link = document.createElement("a");
      link.href = login;
      link.className = "ms-1 fw-semibold";
      link.textContent = this.msg.sign_in || "Sign in";
      this.status.append(" ", link);
    }
  };

  // Another tab saved first: show its text under each differing field; never overwrite.
  Autosave.prototype.conflict = function (data) {
    var self = this;
    this.blocked = true;
    this.show(data.message || this.msg.conflict || "", "error");
    var theirs = data.fields || {};
    var mine = this.snapshot();
    this.form.querySelectorAll(".autosave-conflict").forEach(function (el) { el.remove(); });
    var boxes = [];
    this.fields().forEach(function (el) {
      if (!Object.prototype.hasOwnProperty.call(theirs, el.name)) return;
      if (theirs[el.name] === mine[el.name]) return;
      var box = document.createElement("div");
      box.className = "autosave-conflict alert alert-warning mt-2 small";
      box.setAttribute("role", "alert");
      var title = document.createElement("div");
      title.className = "fw-semibold mb-1";
      title.textContent = self.msg.other_version || "";
      var pre = document.createElement("div");
      pre.className = "autosave-other-text";
      pre.textContent = theirs[el.name] || "—";
      var useTheirs = document.createElement("button");
      useTheirs.type = "button";
      useTheirs.className = "btn btn-sm btn-outline-secondary mt-2";
      useTheirs.textContent = self.msg.use_theirs || "";
      useTheirs.addEventListener("click", function () {
        el.value = theirs[el.name];
        box.remove();
        self.resolved(data.version);
      });
      box.append(title, pre, useTheirs);
      el.insertAdjacentElement("afterend", box);
      boxes.push(box);
    });
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-sm btn-primary mt-2 autosave-keep-mine";
    keep.textContent = self.msg.keep_mine || "";
    keep.addEventListener("click", function () {
      self.form.querySelectorAll(".autosave-conflict").forEach(function (el) { el.remove(); });
      self.resolved(data.version);
    });
    if (boxes.length) {
      boxes[0].append(document.createElement("br"), keep);
      boxes[0].scrollIntoView({ block: "center", behavior: "smooth" });
    } else {
      // Same text on both sides: nothing to choose.
      this.resolved(data.version);
    }
  };

  // The user has seen the other version; the next save is based on it on purpose.
  Autosave.prototype.resolved = function (version) {
    if (this.form.querySelector(".autosave-conflict")) {
      this.setVersion(version);
      return;
    }
    this.setVersion(version);
    this.blocked = false;
    this.lastSent = {};
    this.save();
  };

  function init(root) {
    (root || document).querySelectorAll("form[data-autosave-url]").forEach(function (form) {
      if (!form.autosave) form.autosave = new Autosave(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
  window.PortalAutosave = { init: init };
})();
