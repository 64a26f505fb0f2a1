// A real OpenID provider for the tests: oidc-provider (npm, OpenID Certified), on a loopback
// port. Usage: node tests/sso/oidc_provider.mjs PORT CLIENT_JSON
// CLIENT_JSON: {"client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris"}
// Its development sign-in page accepts any password for the accounts below; consent is given
// in advance (a first-party client), as a university's provider does for its own services.
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const client = JSON.parse(process.argv[3]);
const issuer = `http://127.0.0.1:${port}`;

const ACCOUNTS = {
  lihua: { name: 'Li Hua', email: 'lihua@univ.example.edu', email_verified: true,
           affiliation: ['member', 'student'], groups: ['students'] },
  wangfang: { name: 'Wang Fang', email: 'wangfang@univ.example.edu', email_verified: true,
              affiliation: ['faculty'], groups: ['library-staff'] },
  zhaolei: { name: 'Zhao Lei', affiliation: ['alum'], groups: [] },  // no e-mail released
};


const provider = new Provider(issuer, {
  clients: [{
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: client.redirect_uris,
    post_logout_redirect_uris: client.post_logout_redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    profile: ['name'],
    email: ['email', 'email_verified'],
    affiliation: ['affiliation'],
    groups: ['groups'],
  },
  conformIdTokenClaims: false,  // the scopes' claims in the ID token, as Keycloak and Entra do
  cookies: { keys: ['commons-test-only'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, id) {
    // Any other login "<affiliation>-<anything>" is a person with that affiliation, so that
    // each browser test can sign in as someone new.
    const account = ACCOUNTS[id] || {
      name: `Test ${id}`, email: `${id}@univ.example.edu`, email_verified: true,
      affiliation: [id.split('-')[0]], groups: [],
    };
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile email affiliation groups');
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => { console.log(`ready ${issuer}`); });
