-- The booklets' pandoc filter. Content is read with raw HTML, raw TeX and raw attributes off;
-- this filter makes what is left safe and fitting for print, in every output format:
--   * images from records become their alt text (they could read files of the build machine);
--   * links that are not http(s) or mailto become their text;
--   * raw blocks and inlines (none should reach here) are dropped;
--   * in typst, the block before a QR code sticks to it (the chapter's last lines and its QR code
--     share a page: a QR code never stands alone on a page);
--   * a Div of class kb-qr (attributes: url, shown, file, png, alt, label) becomes our typst QR block, or,
--     in other formats (docx, epub), an image and a link, since raw typst would vanish there.
--     Only our own: its `nonce` attribute must equal the metadata `kb-nonce`, which the build sets
--     on the command line with a fresh random value (the reader takes no metadata from content).
--     A kb-qr Div that a record writes itself is an ordinary Div, printed as text.

local function safe_url(url)
  local cleaned = url:gsub("[%c%s]", ""):lower()
  return cleaned:match("^https?://") or cleaned:match("^mailto:")
end

local nonce = nil

local function Meta(meta)
  if meta["kb-nonce"] ~= nil then
    nonce = pandoc.utils.stringify(meta["kb-nonce"])
  end
end

local function ours(div)
  return div.classes:includes("kb-qr") and nonce ~= nil and #nonce >= 16 and div.attributes.nonce == nonce
end

-- Every image in the content becomes its alt text; our QR images are made later, from our Divs.
local function Image(img)
  return pandoc.Str(pandoc.utils.stringify(img.caption))
end

-- A kb-qr Div that is not ours loses the class (and with it any meaning to this filter).
local function Forged(div)
  if div.classes:includes("kb-qr") and not ours(div) then
    div.classes = div.classes:filter(function(c) return c ~= "kb-qr" end)
    div.attributes = {}
    return div
  end
  return nil
end

local function Link(link)
  if safe_url(link.target) then
    return link
  end
  return link.content
end

local function RawBlock(raw)
  return {}
end

local function RawInline(raw)
  return {}
end

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

local function Div(div)
  if ours(div) then
    local a = div.attributes
    if FORMAT:match("typst") then
      return pandoc.RawBlock("typst", "#kb-qr(" .. typst_string(a.file) .. ", " .. typst_string(a.url) .. ", "
        .. typst_string(a.shown) .. ", " .. typst_string(a.alt) .. ", " .. typst_string(a.label) .. ")")
    end
    local image = pandoc.Image({pandoc.Str(a.alt)}, a.png, "", pandoc.Attr("", {}, {{"width", "2.5cm"}}))
    return pandoc.Para({image, pandoc.LineBreak(), pandoc.Str(a.label .. " "), pandoc.Link(a.shown, a.url)})
  end
  return nil
end

local function is_qr(block)
  return block.t == "Div" and ours(block)
end

local function Blocks(blocks)
  if not FORMAT:match("typst") then
    return nil
  end
  local out = {}
  for i, block in ipairs(blocks) do
    if blocks[i + 1] ~= nil and is_qr(blocks[i + 1]) then
      table.insert(out, pandoc.RawBlock("typst", "#block(sticky: true)["))
      table.insert(out, block)
      table.insert(out, pandoc.RawBlock("typst", "]"))
    else
      table.insert(out, block)
    end
  end
  return out
end

-- First take out what content may not do, then build our own blocks (whose raw typst must stay).
return {
  {Meta = Meta},
  {Image = Image, Link = Link, RawBlock = RawBlock, RawInline = RawInline, Div = Forged},
  {Blocks = Blocks},
  {Div = Div},
}
