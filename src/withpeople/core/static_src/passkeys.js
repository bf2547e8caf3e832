// Passkeys need the browser's WebAuthn API, so they are an extra: without this script, or in a
// browser without the API, the passkey forms stay hidden and codes from the app still work.
const supported =
  window.PublicKeyCredential &&
  typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
  typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

async function post(url, token, body) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body: JSON.stringify(body || {}),
  });
}

for (const form of document.querySelectorAll("form[data-passkey]")) {
  if (!supported) continue;
  form.hidden = false;
  const status = form.querySelector("[data-passkey-status]");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "";
    try {
      const options = await (await post(form.dataset.options, token)).json();
      const credential =
        form.dataset.passkey === "register"
          ? await navigator.credentials.create({
              publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
            })
          : await navigator.credentials.get({
              publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
            });
      const name = form.querySelector("input[name=name]");
      const response = await post(form.action, token, {
        credential: credential.toJSON(),
        name: name ? name.value : "",
      });
      const answer = await response.json();
      if (response.ok) {
        window.location.assign(answer.redirect);
      } else {
        status.textContent = answer.message;
      }
    } catch (error) {
      status.textContent = form.dataset.failed;
    }
  });
}
