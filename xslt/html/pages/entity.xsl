<?xml version="1.0" encoding="UTF-8"?>
<!-- Indices of persons, places, organisations, and one page per entity with every passage
     that mentions it. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:variable name="fp:index-title" select="map{'person': f:msg('nav.persons'), 'place': f:msg('nav.places'), 'org': f:msg('nav.orgs')}"/>
  <xsl:variable name="fp:index-href" select="map{'person': 'persons.html', 'place': 'places.html', 'org': 'orgs.html'}"/>

  <xsl:template match="page[@kind = 'index']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:variable name="kind" select="string(@entity-kind)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="if (link) then f:msg('index.page-title', map{'index': $fp:index-title($kind), 'label': string(link[@number = current()/@number]/@label)}) else $fp:index-title($kind)"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="substring-before($fp:index-href($kind), '.html')"/>
      <xsl:with-param name="page-class" select="'page-index'"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="$fp:index-title($kind)"/></h1>
        <xsl:choose>
          <xsl:when test="entity">
            <p class="result-count"><xsl:value-of select="f:msg-n('index.entries', xs:integer((@total, count(entity))[1]))"/></p>
            <!-- by the model's sort key (persons by surname), under their headings ("Stalin,
                 I. V."); the letters side by side (edition.css), with a line of letters first -->
            <xsl:variable name="letters" select="distinct-values(entity/(@initial, upper-case(substring((@sort, f:sort-key(@name))[1], 1, 1)))[1])"/>
            <!-- #18: a large index has a page per initial (site.py, paging.index_pages): its
                 line of letters links those pages -->
            <xsl:call-template name="fp:part-nav"><xsl:with-param name="label" select="f:msg('index.letters')"/></xsl:call-template>
            <xsl:if test="count($letters) gt 1 and not(link)">
              <nav aria-label="{f:msg('index.letters')}"><ul class="index-letters">
                <xsl:for-each select="$letters"><li><a href="#letter-{position()}"><xsl:value-of select="."/></a></li></xsl:for-each>
              </ul></nav>
            </xsl:if>
            <div class="index-groups">
            <xsl:for-each-group select="entity" group-by="(@initial, upper-case(substring((@sort, f:sort-key(@name))[1], 1, 1)))[1]">
              <section class="index-group" aria-labelledby="letter-{position()}">
                <h2 id="letter-{position()}"><xsl:value-of select="current-grouping-key()"/></h2>
                <ul class="entity-list">
                  <xsl:for-each select="current-group()">
                    <li>
                      <a href="{$root}{@page}"><xsl:value-of select="(@heading, @name)[1]"/></a>
                      <xsl:if test="variant"><span class="variants"> (<xsl:value-of select="string-join(variant, '; ')"/>)</span></xsl:if>
                      <span class="count"> — <xsl:value-of select="f:msg-n('count.documents', xs:integer(@documents))"/></span>
                    </li>
                  </xsl:for-each>
                </ul>
              </section>
            </xsl:for-each-group>
            </div>
          </xsl:when>
          <xsl:otherwise><p><xsl:value-of select="f:msg('index.none')"/></p></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page[@kind = 'entity']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:variable name="kind" select="string(@entity-kind)"/>
    <xsl:variable name="tei" select="tei/*[1]"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="string(@name)"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="substring-before($fp:index-href($kind), '.html')"/>
      <xsl:with-param name="page-class" select="'page-entity'"/>
      <xsl:with-param name="content">
        <article class="entity-page" data-pagefind-body="">
          <p class="kicker" data-pagefind-ignore=""><a href="{$root}{$fp:index-href($kind)}"><xsl:value-of select="$fp:index-title($kind)"/></a></p>
          <h1 data-pagefind-meta="title"><xsl:value-of select="@name"/></h1>
          <xsl:call-template name="f:search-facets"><xsl:with-param name="type" select="f:kind-label($kind)"/></xsl:call-template>
          <!-- the trailing spaces in dt and dd keep label and value apart in the search index
               (Pagefind does not separate the words of adjacent dt and dd) -->
          <dl class="info-list">
            <div class="info-row" data-pagefind-ignore=""><dt><xsl:value-of select="f:msg('entity.kind')"/><xsl:text> </xsl:text></dt><dd><xsl:value-of select="f:kind-label($kind)"/><xsl:text> </xsl:text></dd></div>
            <xsl:if test="variant">
              <div class="info-row"><dt data-pagefind-ignore=""><xsl:value-of select="f:msg('entity.other-names')"/><xsl:text> </xsl:text></dt><dd><xsl:value-of select="string-join(variant, '; ')"/><xsl:text> </xsl:text></dd></div>
            </xsl:if>
            <xsl:if test="geo">
              <div class="info-row" data-pagefind-ignore=""><dt><xsl:value-of select="f:msg('entity.coordinates')"/><xsl:text> </xsl:text></dt><dd><xsl:value-of select="concat(geo/@lat, ', ', geo/@long)"/>
                <!-- a link to the map only for what it plots (places: html.py sets geo/@on-map) -->
                <xsl:if test="geo/@on-map = 'true'"> (<a href="{$root}map.html#place-{@anchor}"><xsl:value-of select="f:msg('entity.on-map')"/></a>)</xsl:if><xsl:text> </xsl:text></dd></div>
            </xsl:if>
            <xsl:for-each select="$tei/(tei:birth | tei:death | tei:occupation | tei:floruit)">
              <div class="info-row"><dt data-pagefind-ignore=""><xsl:value-of select="f:msg('entity.' || local-name())"/><xsl:text> </xsl:text></dt>
                <dd><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates><xsl:text> </xsl:text></dd></div>
            </xsl:for-each>
            <xsl:for-each select="$tei/tei:idno[f:safe-url(.) and matches(., '^https?:')]">
              <div class="info-row" data-pagefind-ignore=""><dt><xsl:value-of select="f:msg('entity.identifier')"/><xsl:if test="@type"> (<xsl:value-of select="@type"/>)</xsl:if><xsl:text> </xsl:text></dt>
                <dd><a href="{f:safe-url(.)}" rel="noopener noreferrer"><xsl:value-of select="normalize-space(.)"/></a><xsl:text> </xsl:text></dd></div>
            </xsl:for-each>
          </dl>
          <xsl:for-each select="$tei/tei:note">
            <div class="entity-note">
              <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="false()"/></xsl:apply-templates>
            </div>
          </xsl:for-each>
          <section class="mentions" aria-labelledby="mentions-heading" data-pagefind-ignore="all">
            <h2 id="mentions-heading"><xsl:value-of select="f:msg('entity.mentioned')"/></h2>
            <xsl:call-template name="fp:mentions"><xsl:with-param name="root" select="$root"/></xsl:call-template>
          </section>
        </article>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- the mentions of an entity: the documents and their passages (on its page, and with many,
       on further pages: #18, site.py) -->
  <xsl:template name="fp:mentions">
    <xsl:param name="root" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="doc">
        <xsl:variable name="docs" select="xs:integer((@documents, count(doc))[1])"/>
        <xsl:variable name="passages" select="xs:integer((@passages, count(doc/passage))[1])"/>
        <p class="result-count"><xsl:value-of select="f:msg-n('count.documents', $docs)"/>,
          <xsl:value-of select="f:msg-n('count.passages', $passages)"/><xsl:if test="xs:integer((@pages, 1)[1]) gt 1"><xsl:value-of select="f:msg('mentions.page-of', map{'n': string(@number), 'm': string(@pages)})"/></xsl:if></p>
        <ol class="mention-list">
          <xsl:for-each select="doc">
            <li>
              <p class="doc-item-title"><a href="{$root}{@page}"><xsl:value-of select="@title"/></a>
                <xsl:text> </xsl:text><span class="doc-item-date">(<xsl:call-template name="fp:time"/>)</span></p>
              <ul class="passages">
                <xsl:for-each select="passage">
                  <li><a class="passage-link" href="{$root}{../@page}#{encode-for-uri(@id)}"><xsl:value-of select="fp:passage-label(@id)"/></a>
                    <xsl:if test="normalize-space()"><xsl:text>: </xsl:text><q class="snippet"><xsl:value-of select="."/></q></xsl:if></li>
                </xsl:for-each>
              </ul>
            </li>
          </xsl:for-each>
        </ol>
        <xsl:call-template name="fp:pager"><xsl:with-param name="root" select="$root"/><xsl:with-param name="label" select="f:msg('mentions.pager-label')"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><p><xsl:value-of select="f:msg('entity.not-mentioned')"/></p></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- #18: page 2, 3 … of an entity's mentions (entity/<name>/<k>.html) -->
  <xsl:template match="page[@kind = 'mentions']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:variable name="kind" select="string(@entity-kind)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="f:msg('mentions.page-title', map{'name': string(@name), 'n': string(@number)})"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="substring-before($fp:index-href($kind), '.html')"/>
      <xsl:with-param name="page-class" select="'page-entity'"/>
      <xsl:with-param name="content">
        <article class="entity-page">
          <p class="kicker"><a href="{$root}{$fp:index-href($kind)}"><xsl:value-of select="$fp:index-title($kind)"/></a></p>
          <h1><a href="{$root}{@entity}"><xsl:value-of select="@name"/></a></h1>
          <section class="mentions" aria-labelledby="mentions-heading">
            <h2 id="mentions-heading"><xsl:value-of select="f:msg('entity.mentioned')"/></h2>
            <xsl:call-template name="fp:mentions"><xsl:with-param name="root" select="$root"/></xsl:call-template>
          </section>
        </article>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- #18: a pager over a window of pages (link elements: site.py, paging.window); a gap
       shows as an ellipsis -->
  <xsl:template name="fp:pager">
    <xsl:param name="root" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:if test="xs:integer((@pages, 1)[1]) gt 1">
      <xsl:variable name="n" select="xs:integer(@number)"/>
      <nav class="pager" aria-label="{$label}">
        <ul>
          <xsl:if test="$n gt 1"><li><a href="{$root}{link[xs:integer(@number) = $n - 1]/@href}" rel="prev"><xsl:value-of select="f:msg('listing.previous')"/></a></li></xsl:if>
          <xsl:for-each select="link">
            <xsl:if test="position() gt 1 and xs:integer(@number) gt xs:integer(preceding-sibling::link[1]/@number) + 1"><li class="pager-gap" aria-hidden="true">…</li></xsl:if>
            <li><a href="{$root}{@href}"><xsl:if test="xs:integer(@number) = $n"><xsl:attribute name="aria-current" select="'page'"/></xsl:if><xsl:value-of select="@number"/></a></li>
          </xsl:for-each>
          <xsl:if test="$n lt xs:integer(@pages)"><li><a href="{$root}{link[xs:integer(@number) = $n + 1]/@href}" rel="next"><xsl:value-of select="f:msg('listing.next')"/></a></li></xsl:if>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- #18: the pages of a split index or chronology, each named by what it holds ("S",
       "1935–1939"; link/@label) -->
  <xsl:template name="fp:part-nav">
    <xsl:param name="label" as="xs:string"/>
    <xsl:if test="link">
      <xsl:variable name="root" select="string(@root)"/>
      <xsl:variable name="n" select="string(@number)"/>
      <nav aria-label="{$label}"><ul class="index-letters">
        <xsl:for-each select="link">
          <li><a href="{$root}{@href}"><xsl:if test="@number = $n"><xsl:attribute name="aria-current" select="'page'"/></xsl:if><xsl:value-of select="@label"/></a></li>
        </xsl:for-each>
      </ul></nav>
    </xsl:if>
  </xsl:template>

  <xsl:variable name="fp:passage-labels" select="('title', 'summary', 'doc-info',
      'p', 'ab', 'head', 'item', 'l', 'note',
      'signed', 'salute', 'dateline', 'postscript',
      'div', 'closer', 'opener', 'main')"/>

  <!-- "p-3" → "Paragraph 3" (one regular expression test per passage: there are thousands) -->
  <xsl:function name="fp:passage-label" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="numbered" select="matches($id, '-\d+$')"/>
    <xsl:variable name="kind" select="if ($numbered) then replace($id, '-\d+$', '') else $id"/>
    <xsl:variable name="n" select="if ($numbered) then replace($id, '^.*-', '') else ''"/>
    <xsl:variable name="label" select="if ($kind = $fp:passage-labels) then f:msg('passage.' || $kind) else ()"/>
    <xsl:sequence select="if (exists($label)) then normalize-space(concat($label, ' ', $n)) else concat('§ ', $id)"/>
  </xsl:function>
</xsl:stylesheet>
