import type { FastifyPluginAsync } from 'fastify';
import { portfolioSummary } from '../../services/ledger/query.service.js';
import { formatYuan } from '../../domain/money.js';
import type { Deps } from '../../deps.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Until the console exists: what Clement is, where the API documentation is, and the portfolio by bucket. */
export function homeRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => {
      const { businessDate, buckets } = await portfolioSummary(deps);
      const rows = buckets
        .map((b) => `<tr><td>${escape(b.bucket)}</td><td>${b.loans}</td><td>${formatYuan(b.total_overdue ?? 0)}</td></tr>`)
        .join('');
      reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clement 催收平台</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .8rem;text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}</style>
</head><body>
<h1>Clement 催收平台</h1>
<p>Clement 帮助网络小额贷款机构有效、合法、善意地催收逾期借款：了解每一笔逾期借据，规划每一次触达，拒绝法律或借款人处境所不允许的联系。</p>
<p lang="en">Clement helps online micro-lenders collect overdue loans effectively, lawfully and kindly.</p>
<p><a href="/api/docs">API 文档 / API documentation</a></p>
<h2>资产组合逾期分布 / Portfolio by bucket</h2>
<p>业务日期 / Business date: <strong>${businessDate ? escape(businessDate) : '尚未运行日终批处理 / no daily run yet'}</strong></p>
<table><thead><tr><th>逾期阶段 / Bucket</th><th>借据数 / Loans</th><th>逾期金额 / Overdue (元)</th></tr></thead>
<tbody>${rows || '<tr><td colspan="3">暂无数据 / no loans yet</td></tr>'}</tbody></table>
</body></html>`);
    });
  };
}
