/**
 * How an amount reads with its currency, the same in every service's messages: `₩3,000`, `$3.00`, `¥3,000`, `€3.00`
 * (English notation, the currency's own minor digits). An unknown code still reads: `3,000 XYZ`.
 */
export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
  } catch {
    return `${new Intl.NumberFormat('en-US').format(amount)} ${currency}`;
  }
}
