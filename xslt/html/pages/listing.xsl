<?xml version="1.0" encoding="UTF-8"?>
<!-- The collection listing (10 per page, by date or by title, with facets) and its data file. -->
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
      <xsl:with-param name="title" select="concat('Documents', if (@number != '1') then concat(', page ', @number) else '',
        if (@sort = 'title') then ' (by title)' else '')"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'documents'"/>
      <xsl:with-param name="page-class" select="'page-listing'"/>
      <xsl:with-param name="content">
        <h1>Documents</h1>
        <div class="listing-controls">
          <p class="sort-links">Sort by:
            <xsl:choose>
              <xsl:when test="@sort = 'date'"><strong aria-current="true">date</strong> · <a href="{$root}{alt/@href}">title</a></xsl:when>
              <xsl:otherwise><a href="{$root}{alt/@href}">date</a> · <strong aria-current="true">title</strong></xsl:otherwise>
            </xsl:choose>
          </p>
          <form class="facets" hidden="hidden" aria-label="Filter documents">
            <xsl:for-each select="(facets, ../facets)[1]/facet[option]">
              <xsl:variable name="label" select="map{'person': 'Person', 'place': 'Place', 'org': 'Organisation'}(@kind)"/>
              <p class="facet">
                <label for="facet-{@kind}"><xsl:value-of select="$label"/></label>
                <select id="facet-{@kind}" name="{@kind}" data-facet="{@kind}">
                  <option value="">Any <xsl:value-of select="lower-case($label)"/></option>
                  <xsl:for-each select="option">
                    <option value="{@id}"><xsl:value-of select="@name"/> (<xsl:value-of select="@count"/>)</option>
                  </xsl:for-each>
                </select>
              </p>
            </xsl:for-each>
            <p class="facet"><button type="reset">Clear filters</button></p>
          </form>
        </div>
        <div class="listing-static">
          <p class="result-count" id="result-count"><xsl:value-of select="concat(@first, ' - ', @last, ' of ', @total)"/></p>
          <ol class="doc-list" start="{@first}">
            <xsl:for-each select="doc"><xsl:call-template name="fp:doc-item"><xsl:with-param name="root" select="$root"/></xsl:call-template></xsl:for-each>
          </ol>
          <xsl:if test="xs:integer(@pages) gt 1">
            <nav class="pager" aria-label="Pages">
              <ul>
                <xsl:variable name="n" select="xs:integer(@number)"/>
                <xsl:if test="$n gt 1"><li><a href="{$root}{link[$n - 1]/@href}" rel="prev">Previous</a></li></xsl:if>
                <xsl:for-each select="link">
                  <li>
                    <xsl:choose>
                      <xsl:when test="xs:integer(@number) = $n"><a href="{$root}{@href}" aria-current="page"><xsl:value-of select="@number"/></a></xsl:when>
                      <xsl:otherwise><a href="{$root}{@href}"><xsl:value-of select="@number"/></a></xsl:otherwise>
                    </xsl:choose>
                  </li>
                </xsl:for-each>
                <xsl:if test="$n lt count(link)"><li><a href="{$root}{link[$n + 1]/@href}" rel="next">Next</a></li></xsl:if>
              </ul>
            </nav>
          </xsl:if>
        </div>
        <div class="listing-filtered" hidden="hidden" aria-live="polite">
          <p class="result-count filtered-count"></p>
          <ol class="doc-list filtered-list"></ol>
        </div>
        <script src="{$root}assets/data.js" defer="defer"></script>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="fp:doc-item">
    <xsl:param name="root" as="xs:string"/>
    <li class="doc-item">
      <p class="doc-item-date"><xsl:call-template name="fp:time"/></p>
      <p class="doc-item-title"><a href="{$root}{@page}"><xsl:value-of select="@title"/></a></p>
      <xsl:if test="normalize-space(@summary)"><p class="doc-item-summary"><xsl:value-of select="@summary"/></p></xsl:if>
    </li>
  </xsl:template>

  <xsl:template name="fp:time">
    <xsl:variable name="label" select="(@date[normalize-space()], f:date-label(@when))[normalize-space()][1]"/>
    <xsl:choose>
      <xsl:when test="@when castable as xs:date or @when castable as xs:gYearMonth or @when castable as xs:gYear">
        <time datetime="{@when}"><xsl:value-of select="$label"/></time>
      </xsl:when>
      <xsl:when test="normalize-space($label)"><xsl:value-of select="$label"/></xsl:when>
      <xsl:otherwise>Undated</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- assets/data.js: the documents with the entities they name, for the listing's filters -->
  <xsl:template match="page[@kind = 'data']" mode="m:page">
    <xsl:variable name="docs" select="array{ doc ! map{
        'id': string(@id), 'page': string(@page), 'when': string(@when),
        'date': string((@date[normalize-space()], f:date-label(@when))[1]),
        'title': string(@title), 'summary': string(@summary),
        'entities': array{ tokenize(@entities) } } }"/>
    <xsl:text>window.EDITION_DOCUMENTS = </xsl:text>
    <!-- JSON with "<" escaped so no text can close a script element -->
    <xsl:value-of select="replace(serialize($docs, map{'method': 'json'}), '&lt;', '\\u003c')"/>
    <xsl:text>;&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
