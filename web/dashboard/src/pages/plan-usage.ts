import { h } from '../dom';
import { planText, usageText } from '../marketplace-format';
import type { PageContext } from '../page';
import type { TenantView } from '../types';

/** The tenant's plan and today's use of each marketplace's budget; null when the gateway does not say. */
export async function planAndUsage(ctx: PageContext): Promise<HTMLElement | null> {
  let tenant: TenantView;
  try {
    tenant = await ctx.api.get('/v1/tenant');
  } catch {
    // A convenience: the rest of Settings works without it.
    return null;
  }
  if (tenant.plan === null && tenant.usage === null) {
    return null;
  }
  const usage = (tenant.usage ?? []).map(usageText);
  return h(
    'section',
    { class: 'card plan', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title' }, 'Plan and usage today'),
    tenant.plan === null ? null : h('p', { class: 'plan-name' }, planText(tenant.plan)),
    usage.length === 0
      ? null
      : h(
          'ul',
          { class: 'usage' },
          ...usage.map((line) =>
            h('li', {}, line.text, line.warning === null ? null : h('p', { class: 'notice exhausted' }, line.warning)),
          ),
        ),
  );
}
