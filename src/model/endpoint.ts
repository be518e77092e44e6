/** An endpoint fit to print: no userinfo, no query (either may hold credentials). */
export function printableEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString();
  } catch {
    return '<invalid URL>';
  }
}
