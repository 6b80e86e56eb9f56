// The portal's page frame: a skip link, the region's name (the province, or a city under it),
// navigation, the language switch and sign-in, then the page, then the footer. Plain HTML and
// one small stylesheet inline: every core page works without JavaScript and sends none.
import { escapeHtml, say, t, withLang, type Lang, type Text } from './text.ts';

export type Viewer = { signedIn: false } | { signedIn: true; name: string; csrfToken: string; acting?: { name: string } };

export type Frame = {
  lang: Lang;
  /** The address of this page, for the language switch and the return after sign-in. */
  path: string;
  title: Text | string;
  /** The portal this page belongs to: the province's, or a city's under it. */
  region: { name: Text; home: string; province?: { name: Text; home: string } };
  viewer: Viewer;
  body: string;
};

const STYLE = `*{box-sizing:border-box}body{margin:0;font-family:system-ui,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;color:#1b1f24;background:#f6f7f9;line-height:1.6}
a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0a30a;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.5rem;z-index:2}
header{background:#0b3d7a;color:#fff}header a{color:#fff}.bar{max-width:64rem;margin:0 auto;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between}
.brand{font-size:1.25rem;font-weight:700;text-decoration:none}.brand small{display:block;font-size:.8rem;font-weight:400}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.account{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}.account form{margin:0}
.linkish{background:none;border:0;color:#fff;text-decoration:underline;font:inherit;cursor:pointer;padding:0}
main{max-width:64rem;margin:0 auto;padding:1rem}h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
.search{display:flex;gap:.5rem;flex-wrap:wrap;margin:1rem 0}.search input{flex:1 1 16rem;font-size:1.1rem;padding:.6rem;border:2px solid #4a5560;border-radius:4px}
button,.button{font-size:1rem;padding:.6rem 1.2rem;border-radius:4px;border:2px solid #0b4f9c;background:#0b4f9c;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
.grid{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.75rem}
.card{background:#fff;border:1px solid #c9d1d9;border-radius:6px;padding:.75rem 1rem}.card p{margin:.25rem 0 0;color:#3d4751}
.results{list-style:none;padding:0}.results li{background:#fff;border:1px solid #c9d1d9;border-radius:6px;padding:.75rem 1rem;margin:.5rem 0}
.meta{color:#4a5560;font-size:.9rem}.notice{border-left:6px solid #0b4f9c;background:#fff;padding:.75rem 1rem;margin:1rem 0}
.error-summary{border:3px solid #b3261e;background:#fff;padding:.75rem 1rem;margin:1rem 0}.error-summary h2{margin-top:0;color:#b3261e}
.field-error{color:#b3261e;font-weight:600;margin:.25rem 0}label{display:block;font-weight:600;margin:.75rem 0 .25rem}
.hint{color:#4a5560;margin:0 0 .25rem;font-weight:400}input[type=text],input[type=password],input[type=email],input[type=tel]{width:100%;max-width:28rem;font-size:1rem;padding:.5rem;border:2px solid #4a5560;border-radius:4px}
input[aria-invalid=true]{border-color:#b3261e}table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;border-bottom:1px solid #c9d1d9;padding:.5rem;vertical-align:top}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}mark{background:#fff0b3}footer{border-top:1px solid #c9d1d9;margin-top:2rem}footer .bar{color:#3d4751;display:block}
textarea,select,input[type=date],input[type=file]{font:inherit;font-size:1rem;padding:.5rem;border:2px solid #4a5560;border-radius:4px;max-width:100%}textarea{width:100%;max-width:40rem}input.short{max-width:14rem}textarea:focus{outline:3px solid #f0a30a;outline-offset:2px}
fieldset{border:0;padding:0;margin:.75rem 0}legend{font-weight:600;padding:0}.choice{display:flex;gap:.5rem;align-items:center;margin:.35rem 0}.choice label{margin:0;font-weight:400}.choice input{width:1.25rem;height:1.25rem}
.field{margin:0 0 1rem}.field .label{font-weight:600;margin:.75rem 0 .25rem}.field .value{margin:0 0 .25rem;font-size:1.05rem}.actions{margin:1.5rem 0;display:flex;gap:1rem;flex-wrap:wrap;align-items:center}
button.secondary{background:#fff;color:#0b4f9c}button.warning{background:#b3261e;border-color:#b3261e}.panel{background:#0b6b3a;color:#fff;padding:1.25rem;margin:1rem 0;border-radius:4px}.panel h1{margin-top:0}.big{font-size:1.6rem;letter-spacing:.05em}
.timeline{padding-left:1.25rem}.timeline li{margin:.4rem 0}.links{padding-left:1.25rem}.links li{margin:.4rem 0}
@media print{header,footer,.skip,.no-print{display:none}main{max-width:none}body{background:#fff}}
@media (max-width:40rem){.bar{flex-direction:column;align-items:flex-start}h1{font-size:1.35rem}table,thead,tbody,tr,th,td{display:block}thead{position:absolute;left:-999px}td{border:0;padding:.15rem .5rem}tr{border-bottom:1px solid #c9d1d9;padding:.5rem 0}}`;

const NAV: { href: string; text: Text }[] = [
  { href: '/#life-events', text: { zh: '个人办事', en: 'For citizens' } },
  { href: '/#business-events', text: { zh: '法人办事', en: 'For businesses' } },
  { href: '/open', text: { zh: '开放数据', en: 'Open data' } },
];

function accountArea(f: Frame): string {
  const other: Lang = f.lang === 'en' ? 'zh-CN' : 'en';
  const langLink = `<a href="${escapeHtml(withLang(f.path, other))}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : '中文'}</a>`;
  if (!f.viewer.signedIn) {
    const signIn = `/api/citizen/oidc/start?${new URLSearchParams({ next: f.path.startsWith('/me') ? f.path : '/me', lang: f.lang })}`;
    return `<div class="account">${langLink}<a href="${escapeHtml(signIn)}">${say(f.lang, { zh: '登录', en: 'Sign in' })}</a><a href="/register?lang=${f.lang}">${say(f.lang, { zh: '注册', en: 'Register' })}</a></div>`;
  }
  const who = f.viewer.acting ? `${escapeHtml(f.viewer.name)}（${escapeHtml(f.viewer.acting.name)}）` : escapeHtml(f.viewer.name);
  return `<div class="account">${langLink}<a href="/me?lang=${f.lang}">${say(f.lang, { zh: '我的空间', en: 'My space' })}: ${who}</a>
<form method="post" action="/me/sign-out"><input type="hidden" name="csrf" value="${escapeHtml(f.viewer.csrfToken)}"><input type="hidden" name="lang" value="${f.lang}"><button type="submit" class="linkish">${say(f.lang, { zh: '退出', en: 'Sign out' })}</button></form></div>`;
}

export function page(f: Frame): string {
  const title = typeof f.title === 'string' ? f.title : t(f.lang, f.title);
  const regionName = t(f.lang, f.region.name);
  const province = f.region.province ? `<small>${escapeHtml(t(f.lang, f.region.province.name))}</small>` : `<small>${say(f.lang, { zh: '政务服务网', en: 'Government services' })}</small>`;
  const nav = NAV.map((n) => `<li><a href="${n.href.startsWith('/#') ? `${escapeHtml(f.region.home)}${n.href.slice(1)}` : n.href}">${say(f.lang, n.text)}</a></li>`).join('');
  return `<!DOCTYPE html>
<html lang="${f.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - ${escapeHtml(regionName)}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">${say(f.lang, { zh: '跳到主要内容', en: 'Skip to main content' })}</a>
<header>
<div class="bar">
<a class="brand" href="${escapeHtml(f.region.home)}">${escapeHtml(regionName)}${province}</a>
<nav aria-label="${say(f.lang, { zh: '主导航', en: 'Main' })}"><ul>${nav}</ul></nav>
${accountArea(f)}
</div>
</header>
<main id="main">
${f.body}
</main>
<footer><div class="bar">${say(f.lang, { zh: '本网站由政务服务平台统一提供，省市共用一个平台。', en: 'One platform serves the province and its cities.' })} ${f.region.province ? `<a href="${escapeHtml(f.region.province.home)}">${say(f.lang, f.region.province.name)}</a>` : ''}</div></footer>
</body>
</html>`;
}
