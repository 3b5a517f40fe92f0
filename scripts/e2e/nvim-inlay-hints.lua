-- Neovim inlay-hint probe for dist/server.js (see ../shared/docs/real-editors.md).
-- Inputs from the environment:
--   PHF_SERVER, PHF_ROOT, PHF_FILE, PHF_INIT, PHF_OUT, PHF_TIMEOUT  as in nvim-lsp.lua
--   PHF_MIN_HINTS  how many hints to wait for (the index and the flags load first)
--   PHF_HOLD       optional: after writing PHF_OUT, keep the screen until this file exists
--                  (the test captures the terminal meanwhile), then quit
-- Writes {hints = <the server's InlayHint[]>, shown = [{line, col, text}], builtin = bool}
-- and exits 0, or exits 1 on timeout.
--
-- Neovim 0.10+ shows LSP inlay hints itself (vim.lsp.inlay_hint.enable): the
-- probe turns that on and reads back the extmarks Neovim drew. Older Neovim
-- (Debian's 0.7) has no inlay-hint UI, so the probe requests
-- textDocument/inlayHint and draws each hint as end-of-line virtual text, as
-- inlay-hint plugins for those versions do.
local env = function(name) return os.getenv(name) end
vim.cmd('filetype on')
vim.o.columns = math.max(vim.o.columns, 80)
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
local budget = tonumber(env('PHF_TIMEOUT') or '30') * 1000
local ok = vim.wait(20000, function() return client.initialized end, 50)
if not ok then io.stderr:write('server did not initialize\n'); vim.cmd('cq') end

local min = tonumber(env('PHF_MIN_HINTS') or '1')
local whole = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(buf), character = 0 } }
local hints = {}
local function fetch()
  local resp = client.request_sync('textDocument/inlayHint', { textDocument = { uri = vim.uri_from_bufnr(buf) }, range = whole }, 5000, buf)
  if resp and resp.err then io.stderr:write('inlayHint error: ' .. vim.inspect(resp.err) .. '\n') end
  hints = (resp and resp.result) or {}
  -- A hint is about a flag only once the flags are loaded: wait for the labels to settle too.
  return #hints >= min
end
local deadline = vim.loop.now() + budget
while not fetch() and vim.loop.now() < deadline do vim.wait(200) end
ok = #hints >= min
if not ok then io.stderr:write('fewer than ' .. min .. ' inlay hints: ' .. vim.inspect(hints) .. '\n') end

local label_of = function(h)
  if type(h.label) == 'string' then return h.label end
  local parts = {}
  for _, p in ipairs(h.label) do table.insert(parts, p.value) end
  return table.concat(parts)
end

local builtin = vim.lsp.inlay_hint ~= nil and vim.lsp.inlay_hint.enable ~= nil
local shown = {}
if builtin then
  vim.lsp.inlay_hint.enable(true, { bufnr = buf })
  vim.wait(budget, function()
    vim.cmd('redraw')
    shown = {}
    for _, ns in pairs(vim.api.nvim_get_namespaces()) do
      for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
        local d = m[4]
        if d.virt_text then
          local text = {}
          for _, chunk in ipairs(d.virt_text) do table.insert(text, chunk[1]) end
          table.insert(shown, { line = m[2], col = m[3], text = table.concat(text) })
        end
      end
    end
    return #shown >= #hints
  end, 100)
else
  local ns = vim.api.nvim_create_namespace('posthog-flags-inlay-hints')
  local per_line = {}
  for _, h in ipairs(hints) do
    local line = h.position.line
    per_line[line] = per_line[line] or {}
    table.insert(per_line[line], { h.position.character, label_of(h) })
  end
  for line, list in pairs(per_line) do
    table.sort(list, function(a, b) return a[1] < b[1] end)
    for _, item in ipairs(list) do
      vim.api.nvim_buf_set_extmark(buf, ns, line, item[1], { virt_text = { { item[2], 'Comment' } }, virt_text_pos = 'eol' })
    end
  end
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
    local text = {}
    for _, chunk in ipairs(m[4].virt_text or {}) do table.insert(text, chunk[1]) end
    table.insert(shown, { line = m[2], col = m[3], text = table.concat(text) })
  end
end
vim.cmd('redraw!')

local f = io.open(env('PHF_OUT'), 'w')
f:write(vim.fn.json_encode({ hints = hints, shown = shown, builtin = builtin }))
f:close()
local hold = env('PHF_HOLD')
if hold then vim.wait(budget, function() return vim.fn.filereadable(hold) == 1 end, 100) end
if not ok then vim.cmd('cq') end
vim.cmd('qa!')
