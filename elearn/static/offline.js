/* Learning without a connection, on the pages that offer it: saving a course on the phone,
   the "no network" banner, "Đã học xong" kept on the phone while offline and sent when the
   network returns. Without this script every page and form works as before. */
(() => {
  const queue = ElearnQueue;
  const me = document.currentScript.dataset;
  const $ = (selector) => document.querySelector(selector);
  const worker = 'serviceWorker' in navigator && 'caches' in window;
  const COURSE = 'elearn-course:';
  const MANIFEST = '/offline/manifests/';
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  const size = (bytes) => Math.max(bytes / 1048576, 0.1).toLocaleString(
    document.documentElement.lang, {minimumFractionDigits: 1, maximumFractionDigits: 1}) + ' MB';

  // Saved courses: one cache per course version, complete once its manifest is stored.
  async function savedCourses() {
    const found = {};
    for (const name of worker ? await caches.keys() : []) {
      const slug = name.startsWith(COURSE) && name.split(':')[1];
      const manifest = slug && await (await caches.open(name)).match(MANIFEST + slug);
      if (manifest) found[slug] = await manifest.json();
    }
    return found;
  }

  const forget = async (slug) => {
    for (const name of await caches.keys()) {
      if (name.startsWith(`${COURSE}${slug}:`)) await caches.delete(name);
    }
  };

  // Store every copy, image and asset of a course; older versions go once this one is whole.
  async function save(slug, progress) {
    const answer = await fetch(MANIFEST + slug, {cache: 'no-store'});
    if (!answer.ok || answer.redirected) throw new Error('signin');
    const manifest = await answer.json();
    const name = `${COURSE}${slug}:${manifest.version}`;
    const entries = manifest.pages.map((p) => [p.url, p.copy])
      .concat(manifest.files.map((file) => [file, file]));
    try {
      const cache = await caches.open(name);
      let bytes = 0;
      for (const [index, [key, source]] of entries.entries()) {
        progress(index, entries.length);
        let response = key === source && await caches.match(source); // same URL, same bytes
        if (!response) {
          response = await fetch(source, {cache: 'no-cache'});
          if (!response.ok || response.redirected) throw new Error(response.redirected ? 'signin' : 'failed');
        }
        bytes += (await response.clone().blob()).size;
        await cache.put(key, response);
      }
      const stored = new Response(JSON.stringify({...manifest, bytes}),
        {headers: {'Content-Type': 'application/json'}});
      await cache.put(MANIFEST + slug, stored);
    } catch (error) {
      await caches.delete(name);
      throw error;
    }
    for (const old of await caches.keys()) {
      if (old.startsWith(`${COURSE}${slug}:`) && old !== name) await caches.delete(old);
    }
  }

  const section = $('#offline-save');
  const list = $('[data-saved-list]');
  const nothing = list && list.firstElementChild;

  async function render() {
    const saved = await savedCourses();
    if (section && worker) {
      const mine = saved[section.dataset.course];
      section.hidden = false;
      section.querySelector('[data-save]').hidden = !!mine;
      section.querySelector('[data-status]').textContent = mine
        ? fill(section.dataset.saved, {size: size(mine.bytes)}) : '';
    }
    if (list) {
      const rows = Object.values(saved).map((course) => {
        const row = document.createElement('li');
        const link = document.createElement('a');
        const remove = document.createElement('button');
        link.href = course.pages[0].url;
        link.textContent = course.title;
        remove.type = 'button';
        remove.className = 'link';
        remove.textContent = list.dataset.remove;
        remove.setAttribute('aria-label', `${list.dataset.remove}: ${course.title}`);
        remove.addEventListener('click', () => forget(course.course).then(render));
        row.append(link, ` · ${size(course.bytes)} · `, remove);
        return row;
      });
      list.replaceChildren(...(rows.length ? rows : [nothing]));
    }
  }

  if (section) {
    section.querySelector('[data-save]').addEventListener('click', async (event) => {
      const status = section.querySelector('[data-status]');
      event.target.disabled = true;
      try {
        await save(section.dataset.course, (done, total) => {
          status.textContent = fill(section.dataset.saving, {done, total});
        });
      } catch (error) {
        const full = error.name === 'QuotaExceededError';
        status.textContent = section.dataset[full ? 'full' : error.message === 'signin' ? 'signin' : 'failed'];
        event.target.disabled = false;
        return;
      }
      event.target.disabled = false;
      render();
    });
  }

  // Banner: shown while offline (a saved copy shows it from the start).
  const banner = $('#offline-banner');
  const network = (online) => { if (banner) banner.hidden = online; };
  if (banner && !banner.hasAttribute('data-copy')) network(navigator.onLine);

  const status = $('#offline-queue');
  async function showQueue(sent) {
    if (!status) return;
    const waiting = (await queue.mine()).length;
    if (waiting || sent) {
      status.textContent = waiting ? fill(status.dataset.queued, {n: waiting}) : status.dataset.sent;
      status.hidden = false;
    }
  }

  async function sendNow() {
    const answered = await queue.send().catch(() => 0);
    await showQueue(answered > 0);
  }

  // "Đã học xong": the plain form when online; kept on the phone when offline (and always on a
  // saved copy, which carries no form token), then on to the next page.
  const form = $('form[data-offline]');
  if (form) {
    form.addEventListener('submit', async (event) => {
      const copy = form.hasAttribute('data-copy');
      if (navigator.onLine && !copy) return;
      event.preventDefault();
      await queue.add(form.dataset.course, form.dataset.item);
      if (worker) {
        navigator.serviceWorker.ready
          .then((registration) => registration.sync && registration.sync.register('elearn-events'))
          .catch(() => {});
      }
      if (navigator.onLine) await sendNow();
      if (worker && navigator.serviceWorker.controller) location.href = form.dataset.next;
      else await showQueue(false);
    });
  }

  async function start() {
    if (me.account) await queue.account(me.account);
    if (worker) {
      navigator.serviceWorker.register('/sw.js').catch(() => {});
      navigator.serviceWorker.addEventListener('message', (event) => {
        if (event.data === 'elearn-sent') showQueue(true);
      });
    }
    await render();
    await showQueue(false);
    if (!navigator.onLine) return;
    await sendNow();
    // A saved course whose content changed on the server is saved again.
    const saved = me.course && (await savedCourses())[me.course];
    if (saved && saved.version !== me.version) {
      await save(me.course, () => {}).then(render, () => {});
    }
  }

  addEventListener('online', () => { network(true); sendNow(); });
  addEventListener('offline', () => network(false));
  start();
})();
