-- Neovim 0.7 headless LSP probe for dist/server.js (see ../shared/docs/real-editors.md).
-- Reads its inputs from the environment:
--   PHF_SERVER   absolute path of dist/server.js     PHF_ROOT  workspace root
--   PHF_FILE     file to open (absolute)             PHF_LINE/PHF_COL  0-based hover position
--   PHF_INIT     JSON initializationOptions          PHF_OUT   where to write the JSON result
--   PHF_WAIT_DIAG_CODE  a diagnostic code to wait for (optional)
--   PHF_HOVER_EXPECT    text the hover must contain; polled until it does (optional)
-- Writes {hover = <markdown>, diagnostics = [...]} and exits 0, or exits 1 on timeout.
local env = function(name) return os.getenv(name) end
vim.cmd('filetype on')
local init = vim.fn.json_decode(env('PHF_INIT') or '{}')
local id = vim.lsp.start_client({
  name = 'posthog-flags',
  cmd = { 'node', env('PHF_SERVER'), '--stdio' },
  root_dir = env('PHF_ROOT'),
  init_options = init,
})
if not id then vim.cmd('cq') end
vim.cmd('edit ' .. vim.fn.fnameescape(env('PHF_FILE')))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, id)
local client = vim.lsp.get_client_by_id(id)
local ok = vim.wait(20000, function() return client.initialized end, 50)
if not ok then io.stderr:write('server did not initialize\n'); vim.cmd('cq') end

local want = env('PHF_WAIT_DIAG_CODE')
local diags = {}
local budget = tonumber(env('PHF_TIMEOUT') or '30') * 1000
ok = vim.wait(budget, function()
  diags = vim.diagnostic.get(buf)
  if not want then return true end
  for _, d in ipairs(diags) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if code == want then return true end
  end
  return false
end, 100)
if not ok then io.stderr:write('no diagnostic ' .. tostring(want) .. '\n') end

local hover = ''
local deadline = vim.loop.now() + budget
local expect = env('PHF_HOVER_EXPECT')
local function hover_done() return hover ~= '' and (not expect or string.find(hover, expect, 1, true) ~= nil) end
while not hover_done() and vim.loop.now() < deadline do
  hover = ''
  local resp = client.request_sync('textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = tonumber(env('PHF_LINE')), character = tonumber(env('PHF_COL')) },
  }, 5000, buf)
  if resp and resp.err then io.stderr:write('hover error: ' .. vim.inspect(resp.err) .. '\n') end
  if resp and resp.result and resp.result.contents then
    local c = resp.result.contents
    if type(c) == 'table' and c.value then hover = c.value elseif type(c) == 'string' then hover = c end
  end
  if not hover_done() then vim.wait(200) end
end

local out = {}
for _, d in ipairs(diags) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  table.insert(out, { message = d.message, code = code, source = d.source, severity = d.severity, lnum = d.lnum, col = d.col, end_col = d.end_col })
end
local f = io.open(env('PHF_OUT'), 'w')
f:write(vim.fn.json_encode({ hover = hover, diagnostics = out }))
f:close()
if not hover_done() or not ok then vim.cmd('cq') end
vim.cmd('qa!')
