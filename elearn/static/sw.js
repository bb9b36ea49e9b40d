/* The service worker: saved pages when the network is gone and the offline page for the rest,
   "Đã học xong" kept when its POST cannot reach the server, the queue sent in the background,
   and everything removed at sign-out. The server writes self.ELEARN above this line. */
importScripts(self.ELEARN.queue);
const SHELL = 'elearn-shell:' + self.ELEARN.version;
const COMPLETE = /^\/courses\/([a-z0-9-]+)\/([a-z0-9-]+)\/complete$/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL)
    .then((cache) => cache.addAll(self.ELEARN.shell))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names
      .filter((name) => name.startsWith('elearn-shell:') && name !== SHELL)
      .map((name) => caches.delete(name))))
    .then(() => self.registration.navigationPreload && self.registration.navigationPreload.enable())
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.method === 'POST' && url.pathname === '/logout') {
    event.respondWith(signOut(request));
  } else if (request.method === 'POST' && request.mode === 'navigate' && COMPLETE.test(url.pathname)) {
    event.respondWith(complete(request, url));
  } else if (request.method === 'GET' && request.mode === 'navigate') {
    event.respondWith(page(event, url));
  } else if (request.method === 'GET' && /^\/(static|media)\//.test(url.pathname)) {
    // Fingerprinted files: a URL always means the same bytes.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

// Pages come from the network (personal pages are never stored); without it, the saved copy.
async function page(event, url) {
  try {
    return (await event.preloadResponse) || await fetch(event.request);
  } catch (error) {
    return (await caches.match(url.pathname)) || (await caches.match('/offline')) || Response.error();
  }
}

// "Đã học xong" whose POST found no network: keep the event and go on to the next page.
async function complete(request, url) {
  try {
    return await fetch(request.clone());
  } catch (error) {
    const [, course, item] = url.pathname.match(COMPLETE);
    await ElearnQueue.add(course, item);
    if (self.registration.sync) self.registration.sync.register('elearn-events').catch(() => {});
    return Response.redirect(await following(course, item), 303);
  }
}

async function following(course, item) {
  const here = `/courses/${course}/${item}`;
  const saved = await caches.match(`/offline/manifests/${course}`);
  const pages = saved ? (await saved.json()).pages.map((p) => p.url) : [];
  const at = pages.indexOf(here);
  return at < 0 ? here : pages[at + 1] || pages[0];
}

// Sign-out: try to send what waits (a few seconds at most), then forget everything.
async function signOut(request) {
  const pause = new Promise((done) => setTimeout(done, 5000));
  await Promise.race([ElearnQueue.send().catch(() => 0), pause]);
  const response = await fetch(request);
  if (response.ok || response.type === 'opaqueredirect') {
    await ElearnQueue.clear();
    await self.registration.unregister();
  }
  return response;
}

self.addEventListener('sync', (event) => {
  if (event.tag === 'elearn-events') event.waitUntil(ElearnQueue.send().then(tell));
});

async function tell(answered) {
  if (answered <= 0) return;
  for (const client of await self.clients.matchAll()) client.postMessage('elearn-sent');
}
