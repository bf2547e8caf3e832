// A real OpenID Connect provider for the tests, on 127.0.0.1 and a free port: the certified
// `oidc-provider` package, with its development sign-in page (any login, any password) and
// dynamic client registration, so each test registers the redirect address it needs.
//
// The login typed on its sign-in page says who signs in, with optional prefixes:
//   "alice@nhs.example"              email alice@nhs.example, email_verified true
//   "unverified:alice@nhs.example"   the same address, email_verified false
//   "mfa:alice@nhs.example"          amr ["pwd", "mfa"]: the provider asked for a second factor
// Prints "READY <issuer>" once it listens. Test use only.
import http from 'node:http';
import { parse } from 'node:querystring';

import Provider from 'oidc-provider';

function parseLogin(login) {
  let rest = login;
  const flags = new Set();
  for (;;) {
    const match = /^(unverified|mfa):(.*)$/.exec(rest);
    if (!match) break;
    flags.add(match[1]);
    [, , rest] = match;
  }
  return { email: rest, verified: !flags.has('unverified'), mfa: flags.has('mfa') };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return parse(Buffer.concat(chunks).toString('utf8'));
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [],
    cookies: { keys: ['a key for the tests only'] },
    features: {
      devInteractions: { enabled: true },
      registration: { enabled: true },
    },
    pkce: { required: () => true },
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    // Put the email claims in the ID token itself, as Microsoft Entra ID does.
    conformIdTokenClaims: false,
    async findAccount(ctx, id) {
      const { email, verified } = parseLogin(id);
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email,
            email_verified: verified,
            name: email.split('@')[0].replace(/^./, (c) => c.toUpperCase()),
          };
        },
      };
    },
    // No consent page: the registered client is granted what it asks for.
    async loadExistingGrant(ctx) {
      const { clientId } = ctx.oidc.client;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  // The development sign-in page's form, answered here so that "mfa:" can set amr.
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && /^\/interaction\/[^/]+$/.test(ctx.path)) {
      const body = await readBody(ctx.req);
      if (body.prompt !== 'login') ctx.throw(400, 'only the login prompt is answered');
      const { email, verified, mfa } = parseLogin(body.login || '');
      // The subject is the person, however they signed in this time: "mfa:" sets only amr.
      const accountId = (verified ? '' : 'unverified:') + email;
      const result = { login: { accountId, amr: mfa ? ['pwd', 'mfa'] : ['pwd'] } };
      ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result));
      return;
    }
    await next();
  });
  server.on('request', provider.callback());
  process.stdout.write(`READY ${issuer}\n`);
});
