import { confirmDialog } from '../dialog';
import { field, formText, h } from '../dom';
import { dateTime } from '../format';
import { credentialsFailure, credentialsText } from '../marketplace-format';
import type { PageContext } from '../page';
import type { MarketplaceCredentials, MarketplaceView } from '../types';

/** What each marketplace calls the two parts of a credential, and whether the second may be left out. */
interface CredentialLabels {
  id: string;
  secret: string;
  secretHint: string;
  secretOptional: boolean;
}

const KEPT_SECRET = 'Kept encrypted; never shown again, not even to you.';

export function credentialLabels(marketplace: string): CredentialLabels {
  switch (marketplace) {
    case 'ebay':
      return {
        id: 'App ID (client id)',
        secret: 'Cert ID (client secret)',
        secretHint: KEPT_SECRET,
        secretOptional: false,
      };
    case 'rakuten':
      return {
        id: 'Application id',
        secret: 'Access key',
        secretHint: `Only for Rakuten's new API host; leave empty for the documented one. ${KEPT_SECRET}`,
        secretOptional: true,
      };
    default:
      return { id: 'Client id', secret: 'Client secret', secretHint: KEPT_SECRET, secretOptional: false };
  }
}

/**
 * The form that stores the tenant's own credentials. The secret is a password field, never shown again and
 * cleared after every submit; the gateway checks the pair with one live call before it keeps it.
 */
function credentialsForm(ctx: PageContext, marketplace: MarketplaceView, reload: () => void): HTMLFormElement {
  const labels = credentialLabels(marketplace.id);
  const clientId = h('input', { name: 'clientId', autocomplete: 'off', spellcheck: 'false', required: true });
  const secret = h('input', {
    name: 'clientSecret',
    type: 'password',
    autocomplete: 'new-password',
    required: !labels.secretOptional,
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Check and save');
  const status = h('p', { role: 'status', class: 'credentials-status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'credentials', novalidate: true, 'aria-label': `Your own ${marketplace.name} credentials` },
    field(labels.id, clientId),
    field(labels.secret, secret, labels.secretHint),
    h('div', { class: 'actions' }, submit),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {
      clientId: formText(form, 'clientId'),
      ...(secret.value === '' && labels.secretOptional ? {} : { clientSecret: secret.value }),
    };
    // The secret leaves the page once: the field is emptied whatever the answer.
    secret.value = '';
    if (body.clientId === '' || body.clientSecret === '') {
      status.className = 'credentials-status error';
      status.textContent = labels.secretOptional
        ? `Enter the ${labels.id.toLowerCase()}.`
        : `Enter both the ${labels.id.toLowerCase()} and the ${labels.secret.toLowerCase()}.`;
      return;
    }
    submit.disabled = true;
    status.className = 'credentials-status';
    status.textContent = `Checking with ${marketplace.name}…`;
    ctx.api
      .put('/v1/marketplaces/{marketplace}/credentials', body, { params: { marketplace: marketplace.id } })
      .then((stored) => {
        clientId.value = '';
        ctx.announce(`Your ${marketplace.name} credentials …${stored.last4} are saved`);
        reload();
      })
      .catch((error: unknown) => {
        status.className = 'credentials-status error';
        status.textContent = credentialsFailure(error, marketplace.name);
      })
      .finally(() => (submit.disabled = false));
  });
  return form;
}

/** Which credentials the tenant's crawls use, the form to store its own, and removing them. */
export function credentialsSection(
  ctx: PageContext,
  marketplace: MarketplaceView,
  credentials: MarketplaceCredentials,
  reload: () => void,
): HTMLElement {
  const remove = (): void =>
    confirmDialog(
      `Remove your ${marketplace.name} credentials?`,
      "Your crawls go back to ShelfWatch's shared credentials and your plan's share of the daily budget.",
      'Remove my credentials',
      async () => {
        try {
          await ctx.api.delete('/v1/marketplaces/{marketplace}/credentials', {
            params: { marketplace: marketplace.id },
          });
        } catch (error) {
          throw new Error(credentialsFailure(error, marketplace.name), { cause: error });
        }
        ctx.announce(`Your ${marketplace.name} credentials are removed`);
        reload();
      },
    );
  const own = credentials.source === 'tenant';
  return h(
    'div',
    { class: 'credentials-box' },
    h('h3', {}, 'Credentials for your crawls'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'In use'),
      h('dd', { class: 'credentials-source', 'data-source': credentials.source }, credentialsText(credentials)),
      h('dt', {}, 'Last used'),
      h('dd', {}, credentials.lastUsedAt === null ? 'not yet' : dateTime(credentials.lastUsedAt)),
      own ? h('dt', {}, 'Saved') : null,
      own ? h('dd', {}, dateTime(credentials.updatedAt)) : null,
    ),
    own ? h('button', { type: 'button', class: 'danger', onclick: remove }, 'Remove my credentials') : null,
    h('h4', {}, own ? 'Replace them' : 'Use your own'),
    credentialsForm(ctx, marketplace, reload),
  );
}
