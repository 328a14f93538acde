<?xml version="1.0" encoding="UTF-8"?>
<!-- Home, chronology and search pages. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:template match="page[@kind = 'home']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:variable name="hdr" select="$edition-file/tei:TEI/tei:teiHeader"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="$f:site-title"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="page-class" select="'page-home'"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="$f:site-title"/></h1>
        <xsl:for-each select="$hdr/tei:fileDesc/tei:titleStmt/tei:title[@type = 'sub']">
          <p class="subtitle"><xsl:value-of select="f:reading-text(.)"/></p>
        </xsl:for-each>
        <ul class="home-links">
          <li><a href="{$root}documents.html"><xsl:value-of select="@documents"/> documents</a> in date order, <a href="{$root}chronology.html">as a chronology</a></li>
          <li><a href="{$root}persons.html"><xsl:value-of select="@persons"/> persons</a>, <a href="{$root}places.html"><xsl:value-of select="@places"/> places</a> (<a href="{$root}map.html">map</a>), <a href="{$root}orgs.html"><xsl:value-of select="@orgs"/> organisations</a></li>
          <li><a href="{$root}search.html">Search</a> the documents and the indices</li>
        </ul>
        <xsl:if test="$hdr/tei:encodingDesc/tei:projectDesc">
          <section aria-labelledby="about-heading">
            <h2 id="about-heading">About this edition</h2>
            <xsl:apply-templates select="$hdr/tei:encodingDesc/tei:projectDesc/node()" mode="m:text"/>
          </section>
        </xsl:if>
        <xsl:if test="$hdr/tei:encodingDesc/tei:editorialDecl">
          <section aria-labelledby="principles-heading">
            <h2 id="principles-heading">Editorial principles</h2>
            <xsl:for-each select="$hdr/tei:encodingDesc/tei:editorialDecl//tei:p">
              <p><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></p>
            </xsl:for-each>
          </section>
        </xsl:if>
        <xsl:if test="$hdr/tei:fileDesc/tei:notesStmt/tei:note">
          <section aria-labelledby="notes-heading">
            <h2 id="notes-heading">Notes on the sources</h2>
            <xsl:for-each select="$hdr/tei:fileDesc/tei:notesStmt/tei:note">
              <p><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></p>
            </xsl:for-each>
          </section>
        </xsl:if>
        <xsl:if test="$hdr/tei:fileDesc/tei:titleStmt/tei:respStmt">
          <section aria-labelledby="resp-heading">
            <h2 id="resp-heading">Responsibilities</h2>
            <dl class="info-list">
              <xsl:for-each select="$hdr/tei:fileDesc/tei:titleStmt/tei:respStmt">
                <div class="info-row"><dt><xsl:value-of select="fp:ucfirst(string-join(tei:resp, '; '))"/></dt>
                  <dd><xsl:apply-templates select="* except tei:resp" mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></dd></div>
              </xsl:for-each>
            </dl>
          </section>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page[@kind = 'chronology']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="'Chronology'"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'chronology'"/>
      <xsl:with-param name="page-class" select="'page-chronology'"/>
      <xsl:with-param name="content">
        <h1>Chronology</h1>
        <!-- the badge "full text" only in an edition where some documents are not transcribed -->
        <xsl:variable name="partly" select="exists(doc[@transcribed = 'false'])"/>
        <xsl:for-each-group select="doc" group-adjacent="if (matches(@when, '^-?\d{4}')) then replace(@when, '^(-?\d{4}).*$', '$1') else 'Undated'">
          <section class="year" aria-labelledby="year-{current-grouping-key()}">
            <h2 id="year-{current-grouping-key()}"><xsl:value-of select="current-grouping-key()"/></h2>
            <ol class="timeline">
              <xsl:for-each select="current-group()">
                <!-- #14: date and title in two columns (one above the other on a narrow screen) -->
                <li>
                  <span class="timeline-date"><xsl:call-template name="fp:time"/></span>
                  <span class="timeline-title"><a href="{$root}{@page}"><xsl:value-of select="@title"/></a>
                    <xsl:if test="@transcribed = 'true' and $partly"><xsl:text> </xsl:text><span class="badge badge-full">full text</span></xsl:if></span>
                </li>
              </xsl:for-each>
            </ol>
          </section>
        </xsl:for-each-group>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page[@kind = 'search']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="'Search'"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'search'"/>
      <xsl:with-param name="page-class" select="'page-search'"/>
      <xsl:with-param name="content">
        <h1>Search</h1>
        <form class="search-form" role="search" action="search.html" method="get" data-bundles="{@bundles}">
          <label for="search-input">Search documents, persons, places and organisations</label>
          <input type="search" id="search-input" name="q" autocomplete="off"/>
          <button type="submit">Search</button>
        </form>
        <!-- #14: filters (built from the index's own, data-pagefind-filter) and sort by date -->
        <div class="search-options" id="search-options" hidden="hidden">
          <p class="facet">
            <label for="search-sort">Order</label>
            <select id="search-sort" name="sort">
              <option value="">Best match first</option>
              <option value="asc">Oldest first</option>
              <option value="desc">Newest first</option>
            </select>
          </p>
          <div class="search-filters facets" id="search-filters" role="group" aria-label="Filter the results"></div>
        </div>
        <p class="search-status" id="search-status" aria-live="polite"><xsl:if test="not(normalize-space(@bundles))">This build of the edition has no search index (it was made with <code>edition build html --no-search</code>).</xsl:if></p>
        <ol class="search-results" id="search-results"></ol>
        <noscript><p>Search needs JavaScript. The <a href="{$root}documents.html">documents</a> and the indices can be browsed without it.</p></noscript>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="page" mode="m:page" priority="-1">
    <xsl:message terminate="yes">unknown page kind <xsl:value-of select="@kind"/></xsl:message>
  </xsl:template>
</xsl:stylesheet>
