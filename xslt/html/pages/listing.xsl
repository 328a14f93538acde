<?xml version="1.0" encoding="UTF-8"?>
<!-- The collection listing (page_size a page: [html] in edition.toml; by date, oldest or newest
     first, or by title; with filters) and its data file. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:template match="page[@kind = 'listing']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="concat(f:msg('nav.documents'), if (@number != '1') then f:msg('listing.title-page', map{'n': string(@number)}) else '',
        if (@sort != 'date') then concat(' (', f:msg('listing.order.' || @sort), ')') else '')"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'documents'"/>
      <xsl:with-param name="page-class" select="'page-listing'"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="f:msg('nav.documents')"/></h1>
        <xsl:variable name="facets" select="(facets, ../facets)[1]"/>
        <div class="listing-controls">
          <!-- #14: three orders, each its own pages (they work without JavaScript) -->
          <p class="sort-links" data-order="{@sort}"><xsl:value-of select="f:msg('listing.order')"/><xsl:text>
            </xsl:text>
            <xsl:for-each select="order">
              <xsl:if test="position() gt 1"> · </xsl:if>
              <xsl:choose>
                <xsl:when test="@key = current()/../@sort"><strong aria-current="true"><xsl:value-of select="f:msg('listing.order.' || @key)"/></strong></xsl:when>
                <xsl:otherwise><a href="{$root}{@href}"><xsl:value-of select="f:msg('listing.order.' || @key)"/></a></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </p>
          <form class="facets" hidden="hidden" aria-label="{f:msg('listing.filter')}" data-page-size="{@page-size}" data-chunks="{$facets/@chunks}">
            <xsl:if test="$facets/@partly = 'true'">
              <p class="facet">
                <label for="facet-text"><xsl:value-of select="f:msg('listing.text')"/></label>
                <select id="facet-text" name="text" data-facet="text">
                  <option value=""><xsl:value-of select="f:msg('listing.any')"/></option>
                  <option value="full"><xsl:value-of select="f:msg('status.full')"/></option>
                  <option value="summary"><xsl:value-of select="f:msg('status.summary')"/></option>
                </select>
              </p>
            </xsl:if>
            <xsl:if test="$facets/doctype">
              <p class="facet">
                <label for="facet-doctype"><xsl:value-of select="f:msg('listing.type')"/></label>
                <select id="facet-doctype" name="doctype" data-facet="doctype">
                  <option value=""><xsl:value-of select="f:msg('listing.any-type')"/></option>
                  <xsl:for-each select="$facets/doctype"><option value="{@value}"><xsl:value-of select="@value"/></option></xsl:for-each>
                </select>
              </p>
            </xsl:if>
            <xsl:if test="count($facets/year) gt 1">
              <xsl:for-each select="('from', 'to')">
                <xsl:variable name="end" select="."/>
                <p class="facet">
                  <label for="facet-{$end}"><xsl:value-of select="f:msg('listing.' || $end)"/></label>
                  <select id="facet-{$end}" name="{$end}" data-facet="{$end}">
                    <option value=""><xsl:value-of select="f:msg('listing.any-year')"/></option>
                    <xsl:for-each select="$facets/year"><option value="{@value}"><xsl:value-of select="@value"/></option></xsl:for-each>
                  </select>
                </p>
              </xsl:for-each>
            </xsl:if>
            <xsl:for-each select="$facets/facet[option]">
              <xsl:variable name="label" select="f:kind-label(@kind)"/>
              <p class="facet">
                <label for="facet-{@kind}"><xsl:value-of select="$label"/></label>
                <select id="facet-{@kind}" name="{@kind}" data-facet="{@kind}">
                  <option value=""><xsl:value-of select="f:msg('listing.any-' || @kind)"/></option>
                  <xsl:for-each select="option">
                    <option value="{@id}"><xsl:value-of select="@name"/> (<xsl:value-of select="@count"/>)</option>
                  </xsl:for-each>
                  <!-- #18: a long list keeps those named most often; the index has the others -->
                  <xsl:if test="@more"><option value="" disabled="disabled"><xsl:value-of select="f:msg('listing.facet-more', map{'n': string(@more)})"/></option></xsl:if>
                </select>
              </p>
            </xsl:for-each>
            <p class="facet"><button type="reset"><xsl:value-of select="f:msg('listing.clear')"/></button></p>
          </form>
        </div>
        <div class="listing-static">
          <p class="result-count" id="result-count"><xsl:value-of select="f:msg('listing.range', map{'first': string(@first), 'last': string(@last), 'total': string(@total)})"/></p>
          <ol class="doc-list" start="{@first}">
            <xsl:for-each select="doc"><xsl:call-template name="fp:doc-item"><xsl:with-param name="root" select="$root"/></xsl:call-template></xsl:for-each>
          </ol>
          <xsl:if test="xs:integer(@pages) gt 1">
            <nav class="pager" aria-label="{f:msg('listing.pages')}">
              <ul>
                <xsl:variable name="n" select="xs:integer(@number)"/>
                <xsl:if test="$n gt 1"><li><a href="{$root}{link[xs:integer(@number) = $n - 1]/@href}" rel="prev"><xsl:value-of select="f:msg('listing.previous')"/></a></li></xsl:if>
                <!-- #18: a window of pages (site.py, paging.window); a gap shows as an ellipsis -->
                <xsl:for-each select="link">
                  <xsl:if test="position() gt 1 and xs:integer(@number) gt xs:integer(preceding-sibling::link[1]/@number) + 1"><li class="pager-gap" aria-hidden="true">…</li></xsl:if>
                  <li>
                    <xsl:choose>
                      <xsl:when test="xs:integer(@number) = $n"><a href="{$root}{@href}" aria-current="page"><xsl:value-of select="@number"/></a></xsl:when>
                      <xsl:otherwise><a href="{$root}{@href}"><xsl:value-of select="@number"/></a></xsl:otherwise>
                    </xsl:choose>
                  </li>
                </xsl:for-each>
                <xsl:if test="$n lt xs:integer(@pages)"><li><a href="{$root}{link[xs:integer(@number) = $n + 1]/@href}" rel="next"><xsl:value-of select="f:msg('listing.next')"/></a></li></xsl:if>
              </ul>
            </nav>
          </xsl:if>
        </div>
        <div class="listing-filtered" hidden="hidden" aria-live="polite">
          <p class="result-count filtered-count"></p>
          <ol class="doc-list filtered-list"></ol>
        </div>
        <!-- #18: filter data of one file (at most about 150 KB) comes with the page; in more, it
             is loaded when a filter is chosen (edition.js) -->
        <xsl:if test="$facets/@chunks = '1'"><script src="{$root}assets/data.js" defer="defer" data-filter-data=""></script></xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="fp:doc-item">
    <xsl:param name="root" as="xs:string"/>
    <li class="doc-item">
      <p class="doc-item-date"><xsl:call-template name="fp:time"/></p>
      <p class="doc-item-title"><a href="{$root}{@page}"><xsl:value-of select="@title"/></a></p>
      <xsl:if test="normalize-space(@type)"><p class="doc-item-type"><xsl:value-of select="@type"/></p></xsl:if>
      <xsl:if test="normalize-space(@summary)"><p class="doc-item-summary"><xsl:value-of select="@summary"/></p></xsl:if>
      <!-- #14: in an edition where some documents are summaries only, each says which it is -->
      <xsl:if test="../@partly = 'true'">
        <p class="doc-item-status"><span class="badge{if (@transcribed = 'true') then ' badge-full' else ''}"><xsl:value-of select="f:msg(if (@transcribed = 'true') then 'status.full' else 'status.summary')"/></span></p>
      </xsl:if>
    </li>
  </xsl:template>

  <xsl:template name="fp:time">
    <xsl:variable name="label" select="(@date[normalize-space()], f:date-label(@when))[normalize-space()][1]"/>
    <xsl:choose>
      <xsl:when test="@when castable as xs:date or @when castable as xs:gYearMonth or @when castable as xs:gYear">
        <time datetime="{@when}"><xsl:value-of select="$label"/></time>
      </xsl:when>
      <xsl:when test="normalize-space($label)"><xsl:value-of select="$label"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="f:msg('date.undated')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- assets/data.js (and data-2.js …): the documents with the entities they name, for the listing's filters -->
  <xsl:template match="page[@kind = 'data']" mode="m:page">
    <xsl:variable name="docs" select="array{ doc ! map{
        'id': string(@id), 'page': string(@page), 'when': string(@when),
        'date': string((@date[normalize-space()], f:date-label(@when))[1]),
        'title': string(@title), 'summary': string(@summary), 'transcribed': @transcribed = 'true', 'type': string(@type),
        'entities': array{ tokenize(@entities) } } }"/>
    <!-- #18: in chunks (data.js, data-2.js …), which the listing loads in order, each adding
         its documents to the ones before -->
    <xsl:text>window.EDITION_DOCUMENTS = </xsl:text>
    <xsl:if test="@chunk != '1'">(window.EDITION_DOCUMENTS || []).concat(</xsl:if>
    <!-- JSON with "<" escaped so no text can close a script element -->
    <xsl:value-of select="replace(serialize($docs, map{'method': 'json'}), '&lt;', '\\u003c')"/>
    <xsl:if test="@chunk != '1'">)</xsl:if>
    <xsl:text>;&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
